import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ocs } from './helpers/http';
import { startNode, type TestNode } from './helpers/node';
import { OC_LINKS, OC_PASSWORD, fakeOpenCloud, readOpenCloud, type FakeOpenCloud } from './helpers/fake-opencloud';

/**
 * Infinite Scale / OpenCloud links mounted by the companion (issue 13): a fake OpenCloud serving a real server's
 * recorded answers (test/fixtures/captures/opencloud-0.1.0) is the sharer; real companion processes mount its links
 * through `external`, read them, and pass a mount on to another companion as a bridge does.
 */
let opencloud: FakeOpenCloud;
let bridge: TestNode;
let home: TestNode;
const BOB = { name: 'bob', password: 'bridgepass123' };
const HOME = { name: 'carol', password: 'homepass123' };
const EXTERNAL = '/index.php/apps/files_sharing/external';

async function mount(token: string, name: string, password = '') {
  const response = await call(`${bridge.url}${EXTERNAL}`, 'POST', {
    auth: [BOB.name, BOB.password],
    form: { remote: opencloud.url, token, owner: 'einstein', ownerDisplayName: 'einstein', name, password },
  });
  // Like ownCloud, success is an empty 200; a refusal is 200 with {status: 'error', data: {message}}.
  const text = await response.text();
  const body = (text ? JSON.parse(text) : { status: 'success' }) as {
    status?: string;
    message?: string;
    data?: { message?: string };
  };
  return { status: response.status, body };
}

const read = (
  node: TestNode,
  user: { name: string; password: string },
  path: string,
  headers: Record<string, string> = {},
) =>
  call(`${node.url}/remote.php/dav/files/${user.name}/${path}`, 'GET', { auth: [user.name, user.password], headers });

beforeAll(async () => {
  [opencloud, bridge, home] = await Promise.all([
    fakeOpenCloud(),
    startNode({ users: [BOB] }),
    startNode({ users: [HOME] }),
  ]);
});

afterAll(async () => {
  await Promise.all([opencloud?.close(), bridge?.stop(), home?.stop()]);
});

describe('the companion mounts OpenCloud links', () => {
  it('mounts a folder link and reads through public-files, token in the path', async () => {
    const mounted = await mount(OC_LINKS.folder, 'Ref Folder');
    expect(mounted.status).toBe(200);
    expect(mounted.body.status).toBe('success');
    const hello = await read(bridge, BOB, 'Ref%20Folder/hello.txt');
    expect(hello.status).toBe(200);
    expect(await hello.text()).toBe('hello from einstein on opencloud 9200');
    const deep = await read(bridge, BOB, 'Ref%20Folder/sub/deep.txt');
    expect(deep.status).toBe(200);
    const listing = await call(`${bridge.url}/remote.php/dav/files/bob/Ref%20Folder/`, 'PROPFIND', {
      auth: [BOB.name, BOB.password],
      headers: { Depth: '1' },
    });
    expect(listing.status).toBe(207);
    const xml = await listing.text();
    expect(xml).toContain('/remote.php/dav/files/bob/Ref%20Folder/notes.md');
    expect(xml).toContain('/remote.php/dav/files/bob/Ref%20Folder/sub/');
    // What went out: status.php, tokeninfo, the link's own WebDAV; never the ownCloud 10 paths.
    const paths = opencloud.received.map((r) => r.path);
    expect(paths).toContain(`/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/${OC_LINKS.folder}`);
    expect(paths.some((p) => p.startsWith('/public.php'))).toBe(false);
  });

  it('mounts a single-file link as that file', async () => {
    const mounted = await mount(OC_LINKS.file, 'report.txt');
    expect(mounted.body.status).toBe('success');
    const file = await read(bridge, BOB, 'report.txt');
    expect(file.status).toBe(200);
    expect(await file.text()).toBe(readOpenCloud('public-dav-file-get').body);
    const got = opencloud.received.filter(
      (r) => r.method === 'GET' && r.path.startsWith(`/remote.php/dav/public-files/${OC_LINKS.file}/`),
    );
    expect(got.at(-1)?.path).toBe(`/remote.php/dav/public-files/${OC_LINKS.file}/report.txt`);
  });

  it('mounts a password link with Basic public:PASSWORD and refuses a wrong or missing password', async () => {
    const missing = await mount(OC_LINKS.password, 'Secret');
    expect(missing.body.status).toBe('error');
    expect(missing.body.data?.message ?? missing.body.message).toMatch(/password/);
    const wrong = await mount(OC_LINKS.password, 'Secret', 'wrong');
    expect(wrong.body.status).toBe('error');
    expect(wrong.body.data?.message ?? wrong.body.message).toMatch(/password/);
    const right = await mount(OC_LINKS.password, 'Secret', OC_PASSWORD);
    expect(right.body.status).toBe('success');
    const hello = await read(bridge, BOB, 'Secret/hello.txt');
    expect(hello.status).toBe(200);
    const sent = opencloud.received
      .filter((r) => r.method === 'GET' && r.path.endsWith(`${OC_LINKS.password}/hello.txt`))
      .at(-1);
    expect(Buffer.from(sent!.authorization!.replace(/^Basic /, ''), 'base64').toString()).toBe(`public:${OC_PASSWORD}`);
  });

  it('refuses an unknown link as one that does not exist, not as a password problem', async () => {
    const unknown = await mount(OC_LINKS.unknown, 'Nothing');
    expect(unknown.body.status).toBe('error');
    expect(unknown.body.data?.message ?? unknown.body.message).toMatch(/does not exist/);
  });

  it("refuses an internal link (for the owner server's logged-in users only), whatever the password", async () => {
    for (const password of ['', OC_PASSWORD]) {
      const internal = await mount(OC_LINKS.internal, 'Internal', password);
      expect(internal.body.status).toBe('error');
      expect(internal.body.data?.message ?? internal.body.message).toMatch(/logged in/);
    }
  });

  it('fails cleanly once the owner deleted the link', async () => {
    const gone = await fakeOpenCloud();
    try {
      const mounted = await call(`${bridge.url}${EXTERNAL}`, 'POST', {
        auth: [BOB.name, BOB.password],
        form: { remote: gone.url, token: OC_LINKS.file, owner: 'einstein', name: 'gone.txt', password: '' },
      });
      expect(await mounted.text()).toBe('');
      gone.deleteLink(OC_LINKS.file);
      const file = await read(bridge, BOB, 'gone.txt');
      expect(file.status).toBe(404);
      const folder = await call(`${bridge.url}/remote.php/dav/files/bob/`, 'PROPFIND', {
        auth: [BOB.name, BOB.password],
        headers: { Depth: '1' },
      });
      expect(folder.status).toBe(207);
    } finally {
      await gone.close();
    }
  });

  it('passes a mounted OpenCloud link on to another companion, which reads through the bridge', async () => {
    const mounted = await mount(OC_LINKS.folder, 'Passed On');
    expect(mounted.body.status).toBe('success');
    const shared = await ocs(`${bridge.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
      auth: [BOB.name, BOB.password],
      form: { path: '/Passed On', shareType: '6', shareWith: `${HOME.name}@${home.url}` },
    });
    expect(shared.status).toBe(200);
    const pending = await ocs(`${home.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending`, 'GET', {
      auth: [HOME.name, HOME.password],
    });
    const item = (pending.body.ocs.data as { id: string; name: string }[]).find((s) => s.name === '/Passed On');
    expect(item).toBeDefined();
    await ocs(`${home.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending/${item!.id}`, 'POST', {
      auth: [HOME.name, HOME.password],
    });
    const hello = await read(home, HOME, 'Passed%20On/hello.txt');
    expect(hello.status).toBe(200);
    expect(await hello.text()).toBe('hello from einstein on opencloud 9200');
  });
});
