import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startNode, type TestNode } from './helpers/node';
import { call, ocs } from './helpers/http';
import { fakePeer, json, multistatus, type FakePeer, type Route } from './helpers/fake-peer';

// Calls the companion makes to other servers (issue 8, findings 4, 5 and 8): no internal addresses unless the
// operator allows them (--allow-local-remotes), never itself, advertised URLs only on the peer's own origin, no
// redirects, loops between mounts end at once, calls end when the client leaves, and slow-but-steady reads complete.
// `internal` plays a service on the node's private network: it answers everything plausibly and records every hit,
// so a node that was wrongly allowed to call it would succeed — the tests assert it was never reached.

const ALICE = { name: 'alice', password: 'alice-pw' };
const BOB = { name: 'bob', password: 'bob-pw' };
const CAROL = { name: 'carol', password: 'carol-pw' };
const auth = (user: { name: string; password: string }): [string, string] => [user.name, user.password];
const SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/shares';
const REMOTE_SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/remote_shares';

let strict: TestNode; // started as on the internet: no --allow-local-remotes
let open: TestNode; // --allow-local-remotes, as in the tests and the demo
let internal: FakePeer;
let evil: FakePeer; // a peer (reachable with the flag) whose answers point elsewhere

/** A discovery document pointing at `internal`: the OCM endPoint and WebDAV on another origin than the peer's. */
const evilDiscovery: Route = (_req, res) =>
  json(res, 200, {
    enabled: true,
    apiVersion: '1.1.0',
    endPoint: `${internal.url}/ocm`,
    resourceTypes: [
      { name: 'file', shareTypes: ['user'], protocols: { webdav: `${internal.url}/public.php/webdav/` } },
    ],
  });

/** What an ownCloud 10 at `origin` answers to discovery: everything on its own origin, no key. */
const honestDiscovery = (origin: string) => ({
  enabled: true,
  apiVersion: '1.0-proposal1',
  endPoint: `${origin}/ocm`,
  shareTypes: [{ name: 'file', protocols: { webdav: '/public.php/webdav/' } }],
});

beforeAll(async () => {
  internal = await fakePeer();
  evil = await fakePeer({
    '/ocm-provider/': evilDiscovery,
    '/redirect/': (req, res) => {
      res.writeHead(302, { Location: `${internal.url}${(req.url ?? '').slice('/redirect'.length)}` });
      res.end();
    },
  });
  const files = { alice: { 'Docs/a.txt': 'a' } };
  [strict, open] = await Promise.all([
    startNode({ users: [ALICE, BOB], files, allowLocalRemotes: false }),
    startNode({ users: [ALICE, BOB], files }),
  ]);
});

afterAll(async () => {
  await Promise.all([strict?.stop(), open?.stop(), internal?.close(), evil?.close()]);
});

// Each test judges only its own calls.
beforeEach(() => {
  internal.hits.length = 0;
});

async function link(node: TestNode, folder: string): Promise<string> {
  const { body } = await ocs(node.url + SHARES, 'POST', { auth: auth(ALICE), form: { shareType: '3', path: folder } });
  return (body.ocs.data as { token: string }).token;
}

async function mountError(node: TestNode, remote: string, name = 'Mounted'): Promise<string> {
  const response = await call(`${node.url}/index.php/apps/files_sharing/external`, 'POST', {
    auth: auth(BOB),
    headers: { 'OCS-APIRequest': 'true' },
    form: { remote, token: 'abcdefghijklmno', name, owner: 'x', password: '' },
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(text, `mounting ${remote} must fail`).not.toBe('');
  return (JSON.parse(text) as { data: { message: string } }).data.message;
}

async function createFederatedShare(
  node: TestNode,
  token: string,
  shareWith: string,
): Promise<{ status: number; message: string }> {
  const response = await call(`${node.url}/index.php/apps/federatedfilesharing/createFederatedShare`, 'POST', {
    form: { shareWith, token, password: '' },
  });
  return { status: response.status, message: ((await response.json()) as { message?: string }).message ?? '' };
}

/** Posts an unsigned OCM share from `owner` to bob. */
async function offerShare(node: TestNode, owner: string, name: string): Promise<Response> {
  const host = node.url.replace('http://', '');
  return call(`${node.url}/index.php/ocm/shares`, 'POST', {
    json: {
      shareWith: `bob@${host}`,
      name,
      providerId: '77',
      owner,
      ownerDisplayName: 'Mallory',
      sender: owner,
      senderDisplayName: 'Mallory',
      shareType: 'user',
      resourceType: 'file',
      protocol: { name: 'webdav', options: { sharedSecret: 'shared-secret-0123456789' } },
    },
  });
}

/** Posts an OCM share from `owner` to bob and accepts it; returns bob's mount point. */
async function receiveAndAccept(node: TestNode, owner: string, name: string): Promise<string> {
  const offered = await offerShare(node, owner, name);
  expect(offered.status).toBe(201);
  const pending = await ocs(`${node.url}${REMOTE_SHARES}/pending`, 'GET', { auth: auth(BOB) });
  const item = (pending.body.ocs.data as { id: string; name: string }[]).find((share) => share.name === `/${name}`);
  expect(item).toBeDefined();
  const accepted = await ocs(`${node.url}${REMOTE_SHARES}/pending/${item!.id}`, 'POST', { auth: auth(BOB) });
  expect(accepted.status).toBe(200);
  return (accepted.body.ocs.data as { file_target: string }[])[0]!.file_target;
}

const loopbackNames = (port: number) => [
  `http://127.0.0.1:${port}`,
  `127.0.0.1:${port}/any/path`,
  `http://localhost:${port}`,
  `http://[::ffff:127.0.0.1]:${port}`,
  `http://0.0.0.0:${port}`,
  `http://2130706433:${port}`,
];

describe('without --allow-local-remotes, internal addresses are never called', () => {
  it('testremote needs a login, and then does not probe loopback', async () => {
    for (const node of [strict, open]) {
      const anonymous = await call(
        `${node.url}/index.php/apps/files_sharing/testremote?remote=${encodeURIComponent(`127.0.0.1:${internal.port}`)}`,
      );
      expect(anonymous.status).toBe(401);
    }
    for (const remote of [`127.0.0.1:${internal.port}/any/path`, `localhost:${internal.port}`]) {
      const answer = await call(
        `${strict.url}/index.php/apps/files_sharing/testremote?remote=${encodeURIComponent(remote)}`,
        'GET',
        { auth: auth(BOB) },
      );
      expect(await answer.json()).toBe(false);
    }
    // With the flag the same call works (evil stands for any peer on this machine).
    const allowed = await call(
      `${open.url}/index.php/apps/files_sharing/testremote?remote=${encodeURIComponent(evil.url.replace('http://', ''))}`,
      'GET',
      { auth: auth(BOB) },
    );
    expect(await allowed.json()).toBe('http');
    expect(internal.hits).toEqual([]);
  });

  it('refuses to mount a link from a loopback address under any name', async () => {
    for (const remote of loopbackNames(internal.port)) {
      expect(await mountError(strict, remote)).toMatch(/not a public address/);
    }
    expect(internal.hits).toEqual([]);
  });

  it('refuses to send a federated share to a loopback cloud id (createFederatedShare and OCS)', async () => {
    const token = await link(strict, '/Docs');
    for (const shareWith of [`x@${internal.url}`, `x@localhost:${internal.port}`]) {
      const result = await createFederatedShare(strict, token, shareWith);
      expect(result.status).toBe(400);
      expect(result.message).toMatch(/not a public address/);
    }
    const direct = await ocs(strict.url + SHARES, 'POST', {
      auth: auth(ALICE),
      form: { shareType: '6', path: '/Docs', shareWith: `x@${internal.url}` },
    });
    expect(direct.body.ocs.meta.message).toMatch(/not a public address/);
    expect(internal.hits).toEqual([]);
  });

  it('refuses a share offered from a loopback owner for good, without calling it (it may never be asked whether it signs)', async () => {
    const offered = await offerShare(strict, `mallory@${internal.url}`, 'From Inside');
    // 400, not 503: retrying cannot help, the address stays one this node may not call.
    expect(offered.status).toBe(400);
    expect(await offered.text()).toContain('not allowed');
    const pending = await ocs(`${strict.url}${REMOTE_SHARES}/pending`, 'GET', { auth: auth(BOB) });
    expect((pending.body.ocs.data as { name: string }[]).map((share) => share.name)).not.toContain('/From Inside');
    expect(internal.hits).toEqual([]);
  });

  it('refuses to read a share stored with a loopback owner (taken before, or its name resolved elsewhere then)', async () => {
    const db = new Database(path.join(strict.dataDir, 'server.db'));
    db.prepare(
      `INSERT INTO remote_shares (uid, kind, remote, remote_id, share_token, password, name, owner, mountpoint,
         accepted, item_type, dav_url, created_at) VALUES ('bob', 'user', ?, '77', 'shared-secret-0123456789', '',
         'From Inside', 'mallory', '/From Inside', 1, 'folder', ?, ?)`,
    ).run(internal.url, `${internal.url}/public.php/webdav/`, Date.now());
    db.close();
    const listing = await call(`${strict.url}/remote.php/dav/files/bob${encodeURI('/From Inside')}/`, 'PROPFIND', {
      auth: auth(BOB),
      headers: { Depth: '1' },
    });
    expect(listing.status).toBe(403);
    expect(await listing.text()).toContain('not a public address');
    expect(internal.hits).toEqual([]);
  });
});

describe('with --allow-local-remotes', () => {
  it('refuses an OCM endPoint that a peer advertises on another origin', async () => {
    const token = await link(open, '/Docs');
    const result = await createFederatedShare(open, token, `x@${evil.url}`);
    expect(result.status).toBe(400);
    expect(result.message).toContain(`advertises its OCM endPoint on another server (${internal.url})`);
    expect(evil.hits.some((hit) => hit.url === '/ocm-provider/')).toBe(true);
    expect(internal.hits).toEqual([]);
  });

  it("reads an accepted share from the owner's own origin, not from the WebDAV URL it advertises elsewhere", async () => {
    // Honest (and keyless) when asked about the share, so its unsigned share is taken; afterwards its discovery points
    // elsewhere, like evil's.
    let discoveries = 0;
    const turncoat: FakePeer = await fakePeer({
      '/ocm-provider/': (req, res) =>
        discoveries++ === 0 ? json(res, 200, honestDiscovery(turncoat.url)) : evilDiscovery(req, res),
    });
    try {
      const mountpoint = await receiveAndAccept(open, `mallory@${turncoat.url}`, 'Evil Share');
      const listing = await call(`${open.url}/remote.php/dav/files/bob${encodeURI(mountpoint)}/`, 'PROPFIND', {
        auth: auth(BOB),
        headers: { Depth: '1' },
      });
      expect(listing.status).toBe(207);
      expect(discoveries).toBeGreaterThan(1);
      expect(turncoat.hits.some((hit) => hit.method === 'PROPFIND')).toBe(true);
      expect(internal.hits).toEqual([]);
    } finally {
      await turncoat.close();
    }
  });

  it('does not follow a redirect', async () => {
    expect(await mountError(open, `${evil.url}/redirect`)).toBe('Storage not valid');
    expect(evil.hits.some((hit) => hit.url === '/redirect/status.php')).toBe(true);
    expect(internal.hits).toEqual([]);
  });

  it('never takes this node for a remote, under any name', async () => {
    for (const remote of loopbackNames(open.port)) {
      expect(await mountError(open, remote)).toMatch(/this server itself|same user server/);
    }
    const toSelf = await ocs(open.url + SHARES, 'POST', {
      auth: auth(ALICE),
      form: { shareType: '6', path: '/Docs', shareWith: `bob@localhost:${open.port}` },
    });
    expect(toSelf.body.ocs.meta.message).toMatch(/this server itself/);
  });
});

describe('request storms', () => {
  let other: TestNode;
  beforeAll(async () => {
    other = await startNode({ users: [CAROL], files: { carol: { 'Seed/s.txt': 'seed' } } });
  });
  afterAll(async () => {
    await other?.stop();
  });

  const publicDavCalls = () =>
    [open, other]
      .map(
        (node) =>
          node
            .logs()
            .split('\n')
            .filter((line) => line.includes('"path":"/public.php/webdav')).length,
      )
      .reduce((a, b) => a + b, 0);

  it("ends a loop of two nodes reading through each other's mounts at once, with a bounded number of calls", async () => {
    // alice (open) mounts carol's link as /M and passes it on to carol; carol accepts it as her /M and passes that
    // back.
    const seed = (await ocs(other.url + SHARES, 'POST', { auth: auth(CAROL), form: { shareType: '3', path: '/Seed' } }))
      .body.ocs.data as { token: string };
    const mounted = await call(`${open.url}/index.php/apps/files_sharing/external`, 'POST', {
      auth: auth(ALICE),
      headers: { 'OCS-APIRequest': 'true' },
      form: { remote: other.url, token: seed.token, name: 'M', owner: 'carol', password: '' },
    });
    expect(await mounted.text()).toBe('');
    const toCarol = await ocs(open.url + SHARES, 'POST', {
      auth: auth(ALICE),
      form: { shareType: '6', path: '/M', shareWith: `carol@${other.url.replace('http://', '')}` },
    });
    expect(toCarol.status).toBe(200);
    const carolPending = (await ocs(`${other.url}${REMOTE_SHARES}/pending`, 'GET', { auth: auth(CAROL) })).body.ocs
      .data as { id: string }[];
    await ocs(`${other.url}${REMOTE_SHARES}/pending/${carolPending[0]!.id}`, 'POST', { auth: auth(CAROL) });
    const back = await ocs(other.url + SHARES, 'POST', {
      auth: auth(CAROL),
      form: { shareType: '6', path: '/M', shareWith: `alice@${open.url.replace('http://', '')}` },
    });
    expect(back.status).toBe(200);
    const alicePending = (await ocs(`${open.url}${REMOTE_SHARES}/pending`, 'GET', { auth: auth(ALICE) })).body.ocs
      .data as { id: string }[];
    await ocs(`${open.url}${REMOTE_SHARES}/pending/${alicePending[0]!.id}`, 'POST', { auth: auth(ALICE) });
    // Close the circle: carol's share takes the place of alice's link mount at /M (what renaming mounts would do), and
    // alice's share to carol now passes on that mount (shares are bound to the mount they pass on, not to its path).
    const db = new Database(path.join(open.dataDir, 'server.db'));
    const fromCarol = db
      .prepare("SELECT id FROM remote_shares WHERE uid = 'alice' AND mountpoint = '/M (2)'")
      .get() as { id: number };
    db.prepare("UPDATE remote_shares SET mountpoint = '/M-link' WHERE uid = 'alice' AND mountpoint = '/M'").run();
    db.prepare("UPDATE remote_shares SET mountpoint = '/M' WHERE id = ?").run(fromCarol.id);
    db.prepare("UPDATE shares SET item_key = ? WHERE owner = 'alice' AND share_type = 6").run(`mount:${fromCarol.id}`);
    db.close();

    const before = publicDavCalls();
    const started = Date.now();
    const listing = await call(`${open.url}/remote.php/dav/files/alice/M/`, 'PROPFIND', {
      auth: auth(ALICE),
      headers: { Depth: '1' },
    });
    expect(listing.status).toBe(508);
    expect(Date.now() - started).toBeLessThan(3000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = publicDavCalls();
    expect(after - before).toBeGreaterThan(0);
    expect(after - before).toBeLessThanOrEqual(8);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(publicDavCalls()).toBe(after);
  });

  it('cancels the calls to other servers when the client goes away', async () => {
    const hanging = await fakePeer({
      '/public.php/webdav/': (req, res) => {
        if (req.method === 'PROPFIND') {
          res.writeHead(207, { 'Content-Type': 'application/xml' });
          res.end(multistatus('/public.php/webdav/', { size: 10 }));
        }
        // GET: never answers
      },
    });
    try {
      const mounted = await call(`${open.url}/index.php/apps/files_sharing/external`, 'POST', {
        auth: auth(BOB),
        headers: { 'OCS-APIRequest': 'true' },
        form: { remote: hanging.url, token: 'abcdefghijklmno', name: 'Hang.bin', owner: 'x', password: '' },
      });
      expect(await mounted.text()).toBe('');
      const read = fetch(`${open.url}/remote.php/dav/files/bob/Hang.bin`, {
        headers: { Authorization: `Basic ${Buffer.from('bob:bob-pw').toString('base64')}` },
        signal: AbortSignal.timeout(300),
      });
      await expect(read).rejects.toThrow();
      // The node's call must end with the client's request, long before its 5 s remote timeout.
      const deadline = Date.now() + 2000;
      while (!hanging.abandoned.some((hit) => hit.method === 'GET') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(hanging.abandoned.map((hit) => hit.method)).toContain('GET');
    } finally {
      await hanging.close();
    }
  });
});

describe('reads through a mount time out on silence, not on total time', () => {
  const CHUNK = 64 * 1024;
  const CHUNKS = 16;
  let slowNode: TestNode;
  let remote: FakePeer;

  /** A WebDAV file of CHUNKS chunks, one every 150 ms; `stallAfter` chunks in, the remote goes silent. */
  const trickle =
    (stallAfter?: number) => (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const base = (req.url ?? '').split('?')[0] ?? '';
      if (req.method === 'PROPFIND') {
        res.writeHead(207, { 'Content-Type': 'application/xml' });
        return res.end(multistatus(base, { size: CHUNK * CHUNKS }));
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': CHUNK * CHUNKS });
      let sent = 0;
      const timer = setInterval(() => {
        if (stallAfter !== undefined && sent >= stallAfter) return clearInterval(timer);
        res.write(Buffer.alloc(CHUNK, sent % 251));
        if (++sent === CHUNKS) {
          clearInterval(timer);
          res.end();
        }
      }, 150);
      res.on('close', () => clearInterval(timer));
    };

  beforeAll(async () => {
    remote = await fakePeer({ '/steady/public.php/webdav/': trickle(), '/stalls/public.php/webdav/': trickle(3) });
    slowNode = await startNode({ users: [BOB], args: ['--remote-timeout', '700'] });
    for (const name of ['steady', 'stalls']) {
      const mounted = await call(`${slowNode.url}/index.php/apps/files_sharing/external`, 'POST', {
        auth: auth(BOB),
        headers: { 'OCS-APIRequest': 'true' },
        form: {
          remote: `${remote.url}/${name}`,
          token: 'abcdefghijklmno',
          name: `${name}.bin`,
          owner: 'x',
          password: '',
        },
      });
      expect(await mounted.text()).toBe('');
    }
  });
  afterAll(async () => {
    await Promise.all([slowNode?.stop(), remote?.close()]);
  });

  it('streams a file that takes longer than the timeout but never goes silent', async () => {
    const started = Date.now();
    const response = await call(`${slowNode.url}/remote.php/dav/files/bob/steady.bin`, 'GET', { auth: auth(BOB) });
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    expect(Date.now() - started).toBeGreaterThan(1500);
    expect(body.length).toBe(CHUNK * CHUNKS);
    expect(body[CHUNK * (CHUNKS - 1)]).toBe((CHUNKS - 1) % 251);
  });

  it('breaks off cleanly when the remote goes silent', async () => {
    const response = await call(`${slowNode.url}/remote.php/dav/files/bob/stalls.bin`, 'GET', { auth: auth(BOB) });
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
    expect((await call(`${slowNode.url}/status.php`)).status).toBe(200);
  });
});
