import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from './helpers/node';
import { call, CookieJar, hrefs, ocs, requestTokenOf } from './helpers/http';

// Issue 8, findings 6 and 7: a share belongs to an item, not to a path, and a share made from a link lives and dies
// with that link. Two real nodes: alice's (A, the sharer) and bob's (B, receiving federated shares).

let A: TestNode;
let B: TestNode;
const ALICE: [string, string] = ['alice', 'alice-pw'];
const BOB: [string, string] = ['bob', 'bob-pw'];
const SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/shares';
const CSRF = { 'OCS-APIRequest': 'true' };

interface ShareData {
  id: string;
  token: string;
  share_type: number;
  path: string;
  expiration: string | null;
}

async function link(form: Record<string, string>): Promise<ShareData> {
  const { status, body } = await ocs(A.url + SHARES, 'POST', { auth: ALICE, form: { shareType: '3', ...form } });
  expect(status).toBe(200);
  return body.ocs.data as ShareData;
}

async function shares(query = ''): Promise<ShareData[]> {
  return (await ocs(`${A.url}${SHARES}${query}`, 'GET', { auth: ALICE })).body.ocs.data as ShareData[];
}

const dav = (p: string, method: string, headers: Record<string, string> = {}) =>
  call(`${A.url}/remote.php/dav/files/alice${p}`, method, { auth: ALICE, headers: { ...CSRF, ...headers } });
const move = (from: string, to: string) =>
  dav(from, 'MOVE', { Destination: `${A.url}/remote.php/dav/files/alice${to}` });

/** The names a link shows over public WebDAV (what receivers read), or the HTTP status when it does not answer 207. */
async function publicListing(token: string, password = ''): Promise<string[] | number> {
  const response = await call(`${A.url}/public.php/webdav/`, 'PROPFIND', {
    auth: [token, password],
    headers: { Depth: '1' },
  });
  if (response.status !== 207) return response.status;
  return hrefs(await response.text())
    .map((href) => href.replace('/public.php/webdav/', ''))
    .filter(Boolean);
}

function setExpiration(node: TestNode, shareId: string, day: string): Promise<void> {
  return node.withStore((store) => store.updateShare(Number(shareId), { expiration: day }));
}

beforeAll(async () => {
  [A, B] = await Promise.all([
    startNode({
      users: [{ name: 'alice', password: 'alice-pw' }],
      files: {
        alice: {
          'Trip/photo.txt': 'old trip',
          'Parent/Child/inside.txt': 'child',
          'Gone/x.txt': 'x',
          'Doc.txt': 'v1',
          'Fed/fed.txt': 'fed',
          'Fed2/f.txt': 'f2',
          'Fed3/f.txt': 'f3',
          'Up/sub/s.txt': 's',
          'Old/o.txt': 'o',
          'Locked/l.txt': 'l',
          'First/f.txt': 'f',
          'Second/s.txt': 's',
        },
      },
    }),
    startNode({ users: [{ name: 'bob', password: 'bob-pw' }] }),
  ]);
});
afterAll(async () => {
  await Promise.all([A?.stop(), B?.stop()]);
});

describe('links follow items, not paths (finding 6)', () => {
  it('a renamed folder keeps its link; a new folder under the old name is never served by it', async () => {
    const share = await link({ path: '/Trip' });
    expect(await publicListing(share.token)).toEqual(['photo.txt']);
    expect((await move('/Trip', '/Trip 2025')).status).toBe(201);
    expect((await dav('/Trip', 'MKCOL')).status).toBe(201);
    expect(
      (
        await call(`${A.url}/remote.php/webdav/Trip/new-secret.txt`, 'PUT', {
          auth: ALICE,
          headers: CSRF,
          body: 'not for the link',
        })
      ).status,
    ).toBe(201);

    expect(await publicListing(share.token)).toEqual(['photo.txt']);
    const page = await call(`${A.url}/s/${share.token}`);
    expect(await page.text()).not.toContain('new-secret.txt');
    const download = await call(`${A.url}/s/${share.token}/download?files=photo.txt`);
    expect(await download.text()).toBe('old trip');
    // The OCS listing names the new path, and ?path= finds the share there (and not under the old name).
    expect((await shares()).find((s) => s.id === share.id)?.path).toBe('/Trip 2025');
    expect((await shares(`?path=${encodeURIComponent('/Trip 2025')}`)).map((s) => s.id)).toContain(share.id);
    expect((await shares('?path=/Trip')).map((s) => s.id)).not.toContain(share.id);
  });

  it('moving a parent folder carries the links of everything below it along', async () => {
    const child = await link({ path: '/Parent/Child' });
    expect((await dav('/Moved', 'MKCOL')).status).toBe(201);
    expect((await move('/Parent', '/Moved/Parent')).status).toBe(201);
    expect(await publicListing(child.token)).toEqual(['inside.txt']);
    expect((await shares()).find((s) => s.id === child.id)?.path).toBe('/Moved/Parent/Child');
  });

  it('deleting a shared folder (or its parent) deletes its link: 404, and a new folder of that name is not served', async () => {
    const share = await link({ path: '/Gone' });
    expect((await dav('/Gone', 'DELETE')).status).toBe(204);
    expect((await dav('/Gone', 'MKCOL')).status).toBe(201);
    expect((await call(`${A.url}/s/${share.token}`)).status).toBe(404);
    expect(await publicListing(share.token)).toBe(401);
    expect((await shares()).map((s) => s.id)).not.toContain(share.id);
  });

  it("moves through an upload link's public WebDAV carry the links inside along too", async () => {
    const upload = await link({ path: '/Up', permissions: '15' });
    const inner = await link({ path: '/Up/sub' });
    const moved = await call(`${A.url}/public.php/webdav/sub`, 'MOVE', {
      auth: [upload.token, ''],
      headers: { Destination: `${A.url}/public.php/webdav/renamed` },
    });
    expect(moved.status).toBe(201);
    expect(await publicListing(inner.token)).toEqual(['s.txt']);
    expect((await call(`${A.url}/public.php/webdav/renamed`, 'DELETE', { auth: [upload.token, ''] })).status).toBe(204);
    expect(await publicListing(inner.token)).toBe(401);
  });

  it('binds a share stored before shares had items (migrated rows) to what is at its path on first use', async () => {
    const share = await link({ path: '/Old' });
    await A.withStore((store) => store.updateShare(Number(share.id), { itemKey: null }));
    expect(await publicListing(share.token)).toEqual(['o.txt']);
    expect((await move('/Old', '/Older')).status).toBe(201);
    expect((await dav('/Old', 'MKCOL')).status).toBe(201);
    expect(await publicListing(share.token)).toEqual(['o.txt']);
  });

  it('an upload over a shared file keeps its link', async () => {
    const share = await link({ path: '/Doc.txt' });
    expect(
      (await call(`${A.url}/remote.php/webdav/Doc.txt`, 'PUT', { auth: ALICE, headers: CSRF, body: 'v2' })).status,
    ).toBe(204);
    expect(await (await call(`${A.url}/s/${share.token}/download`)).text()).toBe('v2');
  });
});

describe('shares made from a link live and die with it (finding 7)', () => {
  const cfs = (token: string) =>
    call(`${A.url}/index.php/apps/federatedfilesharing/createFederatedShare`, 'POST', {
      form: { shareWith: `bob@${B.url.replace('http://', '')}`, token },
    });
  /** The federated share created from `linkId`, as alice's OCS listing shows it (token = the OCM shared secret). */
  async function derivedFrom(item: string): Promise<ShareData | undefined> {
    return (await shares()).find((s) => s.share_type === 6 && s.path === item);
  }

  it("inherits the link's expiry and stops reading when the link expires", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const share = await link({ path: '/Fed', expireDate: tomorrow });
    expect((await cfs(share.token)).status).toBe(200);
    const derived = await derivedFrom('/Fed');
    expect(derived?.expiration).toBe(`${tomorrow} 00:00:00`);
    expect(await publicListing(derived?.token ?? '')).toEqual(['fed.txt']);
    // The link expires (today counts as expired, like ownCloud's midnight expiry): the derived share goes with it.
    await setExpiration(A, share.id, new Date().toISOString().slice(0, 10));
    expect(await publicListing(derived?.token ?? '')).toBe(401);
  });

  it('dies when the link is deleted, and the receiver is told', async () => {
    const share = await link({ path: '/Fed2' });
    expect((await cfs(share.token)).status).toBe(200);
    const derived = await derivedFrom('/Fed2');
    expect(await publicListing(derived?.token ?? '')).toEqual(['f.txt']);
    const pending = async () =>
      (
        (await ocs(`${B.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending`, 'GET', { auth: BOB })).body
          .ocs.data as { name: string }[]
      ).map((s) => s.name);
    expect(await pending()).toContain('/Fed2');

    expect((await ocs(`${A.url}${SHARES}/${share.id}`, 'DELETE', { auth: ALICE })).status).toBe(200);
    expect(await publicListing(derived?.token ?? '')).toBe(401);
    expect(await derivedFrom('/Fed2')).toBeUndefined();
    expect(await pending()).not.toContain('/Fed2');
  });

  it('dies when the link gets a new password, and never has more permissions than the link', async () => {
    const share = await link({ path: '/Fed3', permissions: '15' });
    expect((await cfs(share.token)).status).toBe(200);
    const derived = await derivedFrom('/Fed3');
    // Read-only, although the link allows uploads.
    const put = await call(`${A.url}/public.php/webdav/new.txt`, 'PUT', {
      auth: [derived?.token ?? '', ''],
      body: 'x',
    });
    expect(put.status).toBe(403);
    expect(
      (await ocs(`${A.url}${SHARES}/${share.id}`, 'PUT', { auth: ALICE, form: { password: 'a-new-password' } })).status,
    ).toBe(200);
    expect(await publicListing(derived?.token ?? '')).toBe(401);
    expect(await derivedFrom('/Fed3')).toBeUndefined();
  });

  it('a browser that unlocked a link with its old password can neither view it nor pass it on after a change', async () => {
    const share = await link({ path: '/Locked', password: 'old-password' });
    const jar = new CookieJar();
    const form = await call(`${A.url}/s/${share.token}/authenticate`, 'GET', { jar });
    const unlocked = await call(`${A.url}/s/${share.token}/authenticate`, 'POST', {
      jar,
      form: { password: 'old-password', requesttoken: requestTokenOf(await form.text()) },
    });
    expect(unlocked.status).toBe(303);
    expect((await call(`${A.url}/s/${share.token}`, 'GET', { jar })).status).toBe(200);

    expect(
      (await ocs(`${A.url}${SHARES}/${share.id}`, 'PUT', { auth: ALICE, form: { password: 'new-password' } })).status,
    ).toBe(200);
    expect((await call(`${A.url}/s/${share.token}`, 'GET', { jar })).status).toBe(303);
    const passOn = await call(`${A.url}/index.php/apps/federatedfilesharing/createFederatedShare`, 'POST', {
      jar,
      form: { shareWith: `bob@${B.url.replace('http://', '')}`, token: share.token },
    });
    expect(passOn.status).toBe(400);
    expect(await derivedFrom('/Locked')).toBeUndefined();
  });

  it('a deleted link leaves nothing unlocked for the next link (SQLite may reuse its id)', async () => {
    const first = await link({ path: '/First', password: 'first-password' });
    const jar = new CookieJar();
    const form = await call(`${A.url}/s/${first.token}/authenticate`, 'GET', { jar });
    await call(`${A.url}/s/${first.token}/authenticate`, 'POST', {
      jar,
      form: { password: 'first-password', requesttoken: requestTokenOf(await form.text()) },
    });
    expect((await ocs(`${A.url}${SHARES}/${first.id}`, 'DELETE', { auth: ALICE })).status).toBe(200);
    const second = await link({ path: '/Second', password: 'second-password' });
    expect(second.id).toBe(first.id);
    expect((await call(`${A.url}/s/${second.token}`, 'GET', { jar })).status).toBe(303);
  });
});
