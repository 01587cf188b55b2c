import { createHash, createPrivateKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startNode, type TestNode } from './helpers/node';
import { call, ocs } from './helpers/http';
import { garbageRemote, silentRemote } from './helpers/fake-remotes';
import { fakePeer as scriptedPeer, json, type Route } from './helpers/fake-peer';

// Signed OCM between real companion nodes, a "Nextcloud 31" peer and an "ownCloud 10" peer (small fakes on 127.0.0.1).
// The Nextcloud side signs and verifies with its own code below, written from what two real Nextcloud 31.0.2 servers
// sent each other (reference captures s2s-fedshare-*): draft-cavage Signature, rsa-sha512, SHA-512 digest, headers
// "(request-target) content-length date digest host", keyId https://host:port/ocm#signature, the key in /ocm-provider/.

const SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/shares';
const REMOTE_SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/remote_shares';
const ALICE: [string, string] = ['alice', 'alice-pw'];
const BOB: [string, string] = ['bob', 'bob-pw'];
const SIGNED = '(request-target) content-length date digest host';

interface Recorded {
  method: string;
  target: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
interface PendingShare {
  id: string | number;
  remote: string;
  remote_id: string;
  share_token: string;
  name: string;
}

/** Signs like Nextcloud's OutgoingSignedRequest. */
function nextcloudSign(
  key: KeyObject,
  keyId: string,
  url: string,
  body: string,
  date = new Date(),
): Record<string, string> {
  const target = new URL(url);
  const digest = `SHA-512=${createHash('sha512').update(body).digest('base64')}`;
  const text = [
    `(request-target): post ${target.pathname}`,
    `content-length: ${Buffer.byteLength(body)}`,
    `date: ${date.toUTCString()}`,
    `digest: ${digest}`,
    `host: ${target.host}`,
  ].join('\n');
  const signature = sign('sha512', Buffer.from(text), key).toString('base64');
  return {
    date: date.toUTCString(),
    digest,
    Signature: `keyId="${keyId}",algorithm="rsa-sha512",headers="${SIGNED}",signature="${signature}"`,
  };
}

/** Checks like Nextcloud's IncomingSignedRequest: date ≤ 300 s old, exact length, digest, then the RSA signature. */
function nextcloudVerifies(request: Recorded, publicKeyPem: string): boolean {
  const header = (name: string) => String(request.headers[name] ?? '');
  const fields = Object.fromEntries(
    header('signature')
      .split(',')
      .map((entry) => {
        const eq = entry.indexOf('=');
        return [entry.slice(0, eq), entry.slice(eq + 1).replace(/^"(.*)"$/, '$1')];
      }),
  ) as Record<string, string>;
  if (Date.parse(header('date')) < Date.now() - 300_000) return false;
  if (Number(header('content-length')) !== Buffer.byteLength(request.body)) return false;
  if (header('digest') !== `SHA-512=${createHash('sha512').update(request.body).digest('base64')}`) return false;
  const used = (fields.headers ?? '').split(' ').filter((name) => name !== '(request-target)');
  if (!['date', 'host', 'content-length', 'digest'].every((name) => used.includes(name))) return false;
  const text = [
    `(request-target): ${request.method.toLowerCase()} ${request.target}`,
    ...used.map((name) => `${name}: ${header(name)}`),
  ].join('\n');
  return (
    fields.algorithm === 'rsa-sha512' &&
    verify('sha512', Buffer.from(text), publicKeyPem, Buffer.from(fields.signature ?? '', 'base64'))
  );
}

interface FakePeer {
  url: string;
  host: string;
  keyId: string;
  privateKey: KeyObject;
  publicKeyPem: string;
  received: Recorded[];
  close(): Promise<void>;
}

/** A peer serving /ocm-provider/ (with a publicKey like Nextcloud 31, or without one like ownCloud 10) and taking OCM POSTs. */
async function fakePeer(kind: 'nextcloud' | 'owncloud'): Promise<FakePeer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const received: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        target: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.setHeader('Content-Type', 'application/json');
      if (req.method === 'GET' && req.url === '/ocm-provider/') {
        res.end(
          JSON.stringify({
            enabled: true,
            apiVersion: '1.0-proposal1',
            endPoint: `${peer.url}/ocm`,
            ...(kind === 'nextcloud'
              ? { version: '1.1', publicKey: { keyId: peer.keyId, publicKeyPem: peer.publicKeyPem } }
              : {}),
            resourceTypes: [{ name: 'file', shareTypes: ['user'], protocols: { webdav: '/public.php/webdav/' } }],
          }),
        );
      } else if (req.method === 'POST' && req.url === '/ocm/shares') {
        res.statusCode = 201;
        res.end(JSON.stringify({ recipientDisplayName: 'Nick', recipientUserId: 'nick' }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const peer: FakePeer = {
    url: `http://${host}`,
    host,
    keyId: `https://${host}/ocm#signature`,
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return peer;
}

let A: TestNode;
let B: TestNode;
let nextcloud: FakePeer;
let owncloud: FakePeer;

beforeAll(async () => {
  [A, B, nextcloud, owncloud] = await Promise.all([
    startNode({
      users: [{ name: 'alice', password: 'alice-pw', displayName: 'Alice' }],
      files: { alice: { 'Signed/s.txt': 'signed content', 'Other/o.txt': 'o' } },
    }),
    startNode({ users: [{ name: 'bob', password: 'bob-pw', displayName: 'Bob' }] }),
    fakePeer('nextcloud'),
    fakePeer('owncloud'),
  ]);
});
afterAll(async () => {
  await Promise.all([A?.stop(), B?.stop(), nextcloud?.close(), owncloud?.close()]);
});

/** Node A's private key, read from its data directory, to sign requests "as A" in Nextcloud's format. */
const aliceKey = () => createPrivateKey(readFileSync(path.join(A.dataDir, 'ocm-signing-key.pem')));
const hostOf = (node: TestNode) => node.url.replace('http://', '');
const pending = async (): Promise<PendingShare[]> =>
  (await ocs(`${B.url}${REMOTE_SHARES}/pending`, 'GET', { auth: BOB })).body.ocs.data as PendingShare[];
const shareBody = (owner: string, name: string, secret = `secret${name.replace(/\W/g, '')}`) =>
  JSON.stringify({
    shareWith: `bob@${hostOf(B)}`,
    name,
    providerId: '4711',
    owner,
    ownerDisplayName: 'someone',
    sharedBy: owner,
    sharedByDisplayName: 'someone',
    shareType: 'user',
    resourceType: 'file',
    protocol: { name: 'webdav', options: { sharedSecret: secret } },
  });
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  call(url, 'POST', { body, headers: { 'Content-Type': 'application/json', ...headers } });

describe('advertising and signing', () => {
  it('advertises its key in /ocm-provider/ and /.well-known/ocm the way Nextcloud 31 does', async () => {
    for (const p of ['/ocm-provider/', '/.well-known/ocm']) {
      const discovery = (await (await call(`${A.url}${p}`)).json()) as {
        publicKey: { keyId: string; publicKeyPem: string };
      };
      expect(discovery.publicKey.keyId).toBe(`https://${hostOf(A)}/ocm#signature`);
      expect(discovery.publicKey.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    }
  });

  it("signs the OCM share it sends to a Nextcloud 31 receiver so that Nextcloud's check passes", async () => {
    nextcloud.received.length = 0;
    const created = await ocs(A.url + SHARES, 'POST', {
      auth: ALICE,
      form: { path: '/Other', shareType: '6', shareWith: `nick@${nextcloud.url}` },
    });
    expect(created.status).toBe(200);
    const share = nextcloud.received.find((r) => r.method === 'POST' && r.target === '/ocm/shares');
    expect(share?.headers.signature).toMatch(
      new RegExp(
        `^keyId="https://${hostOf(A)}/ocm#signature",algorithm="rsa-sha512",headers="\\(request-target\\) content-length date digest host",signature="`,
      ),
    );
    const advertised = (
      (await (await call(`${A.url}/ocm-provider/`)).json()) as { publicKey: { publicKeyPem: string } }
    ).publicKey;
    expect(share && nextcloudVerifies(share, advertised.publicKeyPem)).toBe(true);
    // Nextcloud also requires the owner to be on the keyId's host.
    expect((JSON.parse(share?.body ?? '{}') as { owner: string }).owner).toBe(`alice@${A.url}`);
  });

  it('between two nodes: the share, its acceptance and its unsharing are signed and accepted', async () => {
    const created = await ocs(A.url + SHARES, 'POST', {
      auth: ALICE,
      form: { path: '/Signed', shareType: '6', shareWith: `bob@${hostOf(B)}` },
    });
    expect(created.status).toBe(200);
    const id = String((created.body.ocs.data as { id: string | number }).id);
    const open = (await pending()).find((p) => p.remote_id === id);
    expect(open).toBeDefined();
    expect((await ocs(`${B.url}${REMOTE_SHARES}/pending/${open?.id}`, 'POST', { auth: BOB })).status).toBe(200);
    expect(await (await call(`${B.url}/remote.php/dav/files/bob/Signed/s.txt`, 'GET', { auth: BOB })).text()).toBe(
      'signed content',
    );
    const onA = await ocs(`${A.url}${SHARES}/${id}`, 'GET', { auth: ALICE });
    expect((onA.body.ocs.data as { accepted: boolean }[])[0]?.accepted).toBe(true);
    expect((await ocs(`${A.url}${SHARES}/${id}`, 'DELETE', { auth: ALICE })).status).toBe(200);
    expect((await call(`${B.url}/remote.php/dav/files/bob/Signed/s.txt`, 'GET', { auth: BOB })).status).toBe(404);
    expect(A.logs() + B.logs()).not.toContain('ocm_origin_refused');
    // B checked A's signature on the share and the unshare, A checked B's on the acceptance.
    const verified = (node: TestNode, origin: TestNode) =>
      node
        .logs()
        .split('\n')
        .filter(
          (line) => line.includes('"event":"ocm_signature_verified"') && line.includes(`"origin":"${hostOf(origin)}"`),
        ).length;
    expect(verified(B, A)).toBeGreaterThanOrEqual(2);
    expect(verified(A, B)).toBeGreaterThanOrEqual(1);
  });

  it("takes a share signed by a Nextcloud 31 peer, after fetching its key from the keyId's /ocm-provider/", async () => {
    nextcloud.received.length = 0;
    const url = `${B.url}/index.php/ocm/shares`;
    const body = shareBody(`nina@${nextcloud.url}`, 'From Nextcloud');
    const response = await post(url, body, nextcloudSign(nextcloud.privateKey, nextcloud.keyId, url, body));
    expect(response.status).toBe(201);
    expect(nextcloud.received.map((r) => `${r.method} ${r.target}`)).toContain('GET /ocm-provider/');
    expect((await pending()).some((p) => p.name === '/From Nextcloud')).toBe(true);
  });
});

describe('refusing forged server-to-server calls', () => {
  const sharesUrl = () => `${B.url}/index.php/ocm/shares`;

  it('refuses an unsigned share claiming to come from a node that signs', async () => {
    for (const url of [sharesUrl(), `${B.url}/index.php/apps/federatedfilesharing/shares`]) {
      const response = await post(url, shareBody(`alice@${A.url}`, 'Forged'));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ message: 'instance is supposed to sign its request' });
    }
    const legacy = await ocs(`${B.url}/ocs/v2.php/cloud/shares`, 'POST', {
      form: {
        remote: A.url,
        token: 'forgedTok',
        name: 'Forged legacy',
        owner: 'alice',
        remoteId: '1',
        shareWith: 'bob',
      },
    });
    expect(legacy.status).toBe(400);
    expect(legacy.body.ocs.meta.message).toBe('instance is supposed to sign its request');
    expect((await pending()).filter((p) => p.name.startsWith('/Forged'))).toEqual([]);
  });

  it('refuses a bad signature: another key, a changed body, an old date, a signer that is not the owner', async () => {
    const url = sharesUrl();
    const body = shareBody(`alice@${A.url}`, 'Forged signed');
    const keyId = `https://${hostOf(A)}/ocm#signature`;
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const attempts: [string, string, Record<string, string>][] = [
      ['another key', body, nextcloudSign(otherKey, keyId, url, body)],
      ['changed body', body.replace('Forged signed', 'Forged signex'), nextcloudSign(aliceKey(), keyId, url, body)],
      ['old date', body, nextcloudSign(aliceKey(), keyId, url, body, new Date(Date.now() - 400_000))],
      ['other path', body, nextcloudSign(aliceKey(), keyId, `${B.url}/ocm/elsewhere`, body)],
    ];
    for (const [what, sent, headers] of attempts) {
      const response = await post(url, sent, headers);
      expect(response.status, what).toBe(400);
      expect(await response.json(), what).toEqual({ message: 'Invalid signature' });
    }
    // Signed by the Nextcloud peer for a share it claims alice on A owns.
    const foreign = await post(url, body, nextcloudSign(nextcloud.privateKey, nextcloud.keyId, url, body));
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toEqual({
      message: `remote instance ${hostOf(A)} not linked to origin ${nextcloud.host}`,
    });
    expect((await pending()).filter((p) => p.name.startsWith('/Forged'))).toEqual([]);
    // The same request, signed right, goes through.
    expect((await post(url, body, nextcloudSign(aliceKey(), keyId, url, body))).status).toBe(201);
  });

  it('refuses an unsigned SHARE_UNSHARED for a share from a node that signs, even with the right secret', async () => {
    const created = await ocs(A.url + SHARES, 'POST', {
      auth: ALICE,
      form: { path: '/Other', shareType: '6', shareWith: `bob@${hostOf(B)}` },
    });
    const id = String((created.body.ocs.data as { id: string | number }).id);
    const share = (await pending()).find((p) => p.remote_id === id);
    expect(share?.share_token).toMatch(/^[A-Za-z0-9]{15}$/);
    const notification = JSON.stringify({
      notificationType: 'SHARE_UNSHARED',
      resourceType: 'file',
      providerId: id,
      notification: { sharedSecret: share?.share_token, message: 'forged' },
    });
    const response = await post(`${B.url}/index.php/ocm/notifications`, notification);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'instance is supposed to sign its request' });
    const legacy = await ocs(`${B.url}/ocs/v2.php/cloud/shares/${id}/unshare`, 'POST', {
      form: { token: share?.share_token ?? '' },
    });
    expect(legacy.status).toBe(400);
    expect((await pending()).some((p) => p.remote_id === id)).toBe(true);
  });
});

describe('a client cannot keep the receiver from asking a peer for its key', () => {
  it('refuses an unsigned share naming a signing node in a spelling of its address that is not the usual one', async () => {
    const port = hostOf(A).split(':')[1] ?? '';
    for (const owner of [`alice@127.0.0.1:000${port}`, `alice@http://127.0.0.1.:${port}`, `alice@0x7f.1:${port}`]) {
      const response = await post(`${B.url}/index.php/ocm/shares`, shareBody(owner, 'Respelled'));
      expect(response.status, owner).toBe(400);
      expect(await response.json()).toEqual({ message: 'instance is supposed to sign its request' });
    }
    expect((await pending()).filter((p) => p.name === '/Respelled')).toEqual([]);
  });

  it('refuses an unsigned share in the name of the receiving node itself (it signs, but never asks itself)', async () => {
    const response = await post(`${B.url}/index.php/ocm/shares`, shareBody(`bob@${hostOf(B)}`, 'Self forged'));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'instance is supposed to sign its request' });
    expect((await pending()).filter((p) => p.name === '/Self forged')).toEqual([]);
  });

  it('refuses an unsigned share for a signing peer also when the request carries the highest hop count', async () => {
    const fresh = await fakePeer('nextcloud'); // B has never asked this one
    try {
      const url = `${B.url}/index.php/ocm/shares`;
      // A hop count at the limit forbids the request any outgoing call: the key lookup must not count as one of them.
      const hopped = await post(url, shareBody(`nina@${fresh.url}`, 'Hop forged'), { 'X-Add-To-Cloud-Hop': '5' });
      expect(hopped.status).toBe(400);
      expect(await hopped.json()).toEqual({ message: 'instance is supposed to sign its request' });
      // Nor may the failed lookup leave the peer cached as one without a key.
      const plain = await post(url, shareBody(`nina@${fresh.url}`, 'Hop forged again'));
      expect(plain.status).toBe(400);
      expect((await pending()).filter((p) => p.name.startsWith('/Hop forged'))).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe('unsigned interop with servers without a key (ownCloud 10)', () => {
  it('still takes their unsigned OCM shares and legacy shares, after asking whether they sign', async () => {
    owncloud.received.length = 0;
    const response = await post(
      `${B.url}/index.php/apps/federatedfilesharing/shares`,
      shareBody(`alice@${owncloud.url}`, 'From ownCloud'),
    );
    expect(response.status).toBe(201);
    expect(owncloud.received.map((r) => `${r.method} ${r.target}`)).toContain('GET /ocm-provider/');
    const legacy = await ocs(`${B.url}/ocs/v2.php/cloud/shares`, 'POST', {
      form: {
        remote: owncloud.url,
        token: 'legacyTok',
        name: 'Legacy ownCloud',
        owner: 'alice',
        remoteId: '2',
        shareWith: 'bob',
      },
    });
    expect(legacy.status).toBe(200);
    expect((await pending()).map((p) => p.name)).toEqual(
      expect.arrayContaining(['/From ownCloud', '/Legacy ownCloud']),
    );
  });
});

describe('servers that cannot be asked whether they sign', () => {
  // A failed lookup is no answer "without a key": else anyone could pass an unsigned share in the name of a signing
  // server while it is down, or by naming it in an address form whose discovery fails (its IP: TLS or trusted-domain
  // errors). Refused with a retryable 503; an honest ownCloud 10 sender gets through once its server answers.
  async function expectRetryLater(response: Response, server: string): Promise<void> {
    expect(response.status, server).toBe(503);
    expect(response.headers.get('retry-after'), server).toBe('60');
  }

  it('refuses an unsigned share in the name of an unreachable server, and stores nothing', async () => {
    const down = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const response = await post(`${B.url}/index.php/ocm/shares`, shareBody(`alice@${down}`, 'Unreachable owner'));
    await expectRetryLater(response, down);
    expect(await response.json()).toEqual({
      message: `remote instance ${down.replace('http://', '')} cannot be verified now, try again later`,
    });
    const legacy = await ocs(`${B.url}/ocs/v2.php/cloud/shares`, 'POST', {
      form: { remote: down, token: 'downTok', name: 'Unreachable legacy', owner: 'a', remoteId: '3', shareWith: 'bob' },
    });
    expect(legacy.status).toBe(503);
    expect((await pending()).filter((p) => p.name.startsWith('/Unreachable'))).toEqual([]);
    // A malformed request is refused as such whoever it names, without asking anyone.
    const malformed = await post(
      `${B.url}/index.php/ocm/shares`,
      JSON.stringify({ ...(JSON.parse(shareBody(`alice@${down}`, 'Bad')) as object), shareWith: 'no cloud id' }),
    );
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ message: 'Invalid parameter shareWith: expected a federated cloud id' });
  });

  it('refuses an unsigned share in the name of a server whose discovery answers garbage or 500', async () => {
    const failing: Route = (_req, res) => json(res, 500, { message: 'internal error' });
    const [garbage, broken] = await Promise.all([
      garbageRemote(),
      scriptedPeer({ '/ocm-provider/': failing, '/.well-known/ocm': failing }),
    ]);
    try {
      for (const server of [garbage.url, broken.url]) {
        const response = await post(`${B.url}/index.php/ocm/shares`, shareBody(`eve@${server}`, 'Bad discovery'));
        await expectRetryLater(response, server);
      }
      expect(broken.hits.map((hit) => hit.url)).toContain('/ocm-provider/');
      expect((await pending()).filter((p) => p.name === '/Bad discovery')).toEqual([]);
    } finally {
      await Promise.all([garbage.close(), broken.close()]);
    }
  });

  it('refuses an unsigned share in the name of a server whose discovery never answers (timeout)', async () => {
    const [silent, receiver] = await Promise.all([
      silentRemote(),
      startNode({ users: [{ name: 'dave', password: 'dave-pw' }], args: ['--remote-timeout', '300'] }),
    ]);
    try {
      const body = JSON.stringify({
        ...(JSON.parse(shareBody(`eve@${silent.url}`, 'Silent owner')) as object),
        shareWith: `dave@${hostOf(receiver)}`,
      });
      await expectRetryLater(await post(`${receiver.url}/index.php/ocm/shares`, body), silent.url);
      const open = (await ocs(`${receiver.url}${REMOTE_SHARES}/pending`, 'GET', { auth: ['dave', 'dave-pw'] })).body.ocs
        .data as PendingShare[];
      expect(open).toEqual([]);
    } finally {
      await Promise.all([silent.close(), receiver.stop()]);
    }
  });

  it('still takes an unsigned share from a server whose discovery answers without a key', async () => {
    const keyless = await scriptedPeer(); // answers /ocm-provider/ like ownCloud 10
    try {
      const response = await post(`${B.url}/index.php/ocm/shares`, shareBody(`olga@${keyless.url}`, 'Keyless owner'));
      expect(response.status).toBe(201);
      expect(keyless.hits.map((hit) => hit.url)).toContain('/ocm-provider/');
      expect((await pending()).map((p) => p.name)).toContain('/Keyless owner');
    } finally {
      await keyless.close();
    }
  });
});

describe('pinned peer keys', () => {
  it('refuses an unsigned share in the name of a signing peer that is down, also after the receiver restarted', async () => {
    const [sharer, receiver] = await Promise.all([
      startNode({ users: [{ name: 'carol', password: 'carol-pw' }], files: { carol: { 'Pinned/p.txt': 'p' } } }),
      startNode({ users: [{ name: 'dave', password: 'dave-pw' }] }),
    ]);
    try {
      // A signed share from the sharer: the receiver fetches and pins the sharer's key to check it.
      const shared = await ocs(sharer.url + SHARES, 'POST', {
        auth: ['carol', 'carol-pw'],
        form: { path: '/Pinned', shareType: '6', shareWith: `dave@${hostOf(receiver)}` },
      });
      expect(shared.status).toBe(200);
      // The sharer goes down first, so the restarted receiver cannot learn its key again from anything it sends.
      await sharer.stop();
      await receiver.kill9(); // restart() starts a new process: the old one must be gone first
      await receiver.restart();
      const port = hostOf(sharer).split(':')[1] ?? '';
      // Also in other spellings of the same server, which it was never pinned under.
      for (const owner of [`carol@${hostOf(sharer)}`, `carol@127.0.0.1:0${port}`, `carol@127.0.0.1.:${port}`]) {
        const forged = JSON.stringify({
          shareWith: `dave@${hostOf(receiver)}`,
          name: 'Forged while down',
          providerId: '99',
          owner,
          sharedBy: owner,
          shareType: 'user',
          resourceType: 'folder',
          protocol: { name: 'webdav', options: { sharedSecret: 'forgedSecretXyz' } },
        });
        const response = await post(`${receiver.url}/index.php/ocm/shares`, forged);
        expect(response.status, owner).toBe(400);
        expect(await response.json()).toEqual({ message: 'instance is supposed to sign its request' });
      }
      const open = (await ocs(`${receiver.url}${REMOTE_SHARES}/pending`, 'GET', { auth: ['dave', 'dave-pw'] })).body.ocs
        .data as PendingShare[];
      expect(open.map((p) => p.name)).toEqual(['/Pinned']);
    } finally {
      await Promise.all([sharer.stop(), receiver.stop()]);
    }
  });
});
