import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startNode, type TestNode } from './helpers/node';
import { call } from './helpers/http';
import { fakePeer, type FakePeer } from './helpers/fake-peer';

// Issue 8, finding 9: anonymous OCM and legacy cloud/shares calls cannot fill the disk, crash a handler, or tell which
// accounts exist. Real nodes: V checks input (3 pending shares per user at most), R has a small rate limit.
// The shares come from ALICE, a reachable fake ownCloud 10 (its discovery answers without a key): an unsigned share
// is taken only in the name of a server that said it does not sign.

let V: TestNode;
let R: TestNode;
let ALICE: FakePeer;
const aliceServer = () => ALICE.url;
const OCM = '/index.php/ocm/shares';
const LEGACY = '/ocs/v2.php/cloud/shares?format=json';

const share = (node: TestNode, extra: Record<string, unknown> = {}) => ({
  shareWith: `bob@${node.url.replace('http://', '')}`,
  name: 'Holiday',
  providerId: '7',
  owner: `alice@${aliceServer()}`,
  ownerDisplayName: 'Alice',
  sender: `alice@${aliceServer()}`,
  senderDisplayName: 'Alice',
  shareType: 'user',
  resourceType: 'file',
  protocol: { name: 'webdav', options: { sharedSecret: 'secretOfSeven' } },
  ...extra,
});
const legacy = (extra: Record<string, string> = {}) => ({
  remote: aliceServer(),
  token: 'legacySecret',
  name: 'Old style',
  owner: 'alice',
  remoteId: '8',
  shareWith: 'bob',
  ...extra,
});

async function answer(response: Response): Promise<{ status: number; body: string }> {
  return { status: response.status, body: await response.text() };
}

function remoteShareRows(node: TestNode, uid?: string): number {
  const db = new Database(path.join(node.dataDir, 'server.db'), { readonly: true });
  try {
    const count = uid
      ? db.prepare('SELECT count(*) AS n FROM remote_shares WHERE uid = ?').get(uid)
      : db.prepare('SELECT count(*) AS n FROM remote_shares').get();
    return (count as { n: number }).n;
  } finally {
    db.close();
  }
}

function databaseBytes(node: TestNode): number {
  return ['server.db', 'server.db-wal'].reduce(
    (sum, name) => sum + (statSync(path.join(node.dataDir, name), { throwIfNoEntry: false })?.size ?? 0),
    0,
  );
}

beforeAll(async () => {
  ALICE = await fakePeer();
  [V, R] = await Promise.all([
    startNode({
      users: [
        { name: 'bob', password: 'bob-pw' },
        { name: 'carol', password: 'carol-pw' },
      ],
      args: ['--max-pending-shares', '3', '--federation-rate-limit', '1000'],
    }),
    startNode({ users: [{ name: 'bob', password: 'bob-pw' }], args: ['--federation-rate-limit', '5'] }),
  ]);
});
afterAll(async () => {
  await Promise.all([V?.stop(), R?.stop(), ALICE?.close()]);
});

describe('incoming federation input (finding 9)', () => {
  it('refuses oversized fields with 400 (or 413 for huge bodies) and stores nothing', async () => {
    const before = databaseBytes(V);
    const long = (n: number) => 'a'.repeat(n);
    const oversized: Record<string, unknown>[] = [
      { name: long(300) },
      { providerId: long(300) },
      { owner: `${long(3000)}@host` },
      { shareWith: `bob@${long(3000)}` },
      { ownerDisplayName: long(300) },
      { senderDisplayName: long(300) },
      { sender: `x@${long(3000)}` },
      { description: long(5000) },
      { protocol: { name: 'webdav', options: { sharedSecret: long(300) } } },
    ];
    for (const extra of oversized) {
      const response = await call(`${V.url}${OCM}`, 'POST', { json: share(V, extra) });
      expect(response.status, Object.keys(extra)[0]).toBe(400);
      expect(await response.json()).toEqual({
        message: expect.stringMatching(/^Invalid parameter .*at most \d+ characters$/),
      });
    }
    const huge = await call(`${V.url}${OCM}`, 'POST', { json: share(V, { name: long(450_000) }) });
    expect(huge.status).toBe(413);
    for (const field of ['token', 'remoteId', 'name', 'owner']) {
      const response = await call(`${V.url}${LEGACY}`, 'POST', { form: legacy({ [field]: long(3000) }) });
      expect(response.status, field).toBe(400);
      expect(((await response.json()) as { ocs: { meta: { statuscode: number } } }).ocs.meta.statuscode).toBe(400);
    }
    // 50 refused posts of 450 KB each (the attack of the finding) leave the database as it was.
    for (let i = 0; i < 50; i++)
      expect((await call(`${V.url}${OCM}`, 'POST', { json: share(V, { name: long(450_000) }) })).status).toBe(413);
    expect(remoteShareRows(V)).toBe(0);
    expect(databaseBytes(V) - before).toBeLessThan(64 * 1024);
  });

  it('answers objects where strings belong with 400, never 500', async () => {
    const objects: Record<string, unknown>[] = [
      { protocol: { name: 'webdav', options: { sharedSecret: { toString: 'x' } } } },
      { protocol: { name: 'webdav', options: { sharedSecret: {} } } },
      { protocol: { name: 'webdav', webdav: { sharedSecret: ['a'] } } },
      { protocol: { name: { x: 1 }, options: { sharedSecret: 's' } } },
      { protocol: 'webdav' },
      { name: { toString: 'x' } },
      { shareWith: ['bob'] },
      { owner: {} },
      { providerId: { a: 1 } },
    ];
    for (const extra of objects) {
      const response = await call(`${V.url}${OCM}`, 'POST', { json: share(V, extra) });
      expect(response.status, JSON.stringify(extra)).toBe(400);
      expect(await response.json()).toEqual({ message: expect.stringMatching(/^Invalid parameter /) });
    }
    const notification = await call(`${V.url}/index.php/ocm/notifications`, 'POST', {
      json: { notificationType: 'SHARE_UNSHARED', providerId: '1', notification: { sharedSecret: { toString: 'x' } } },
    });
    expect(notification.status).toBe(400);
    const legacyObject = await call(`${V.url}${LEGACY}`, 'POST', { json: { ...legacy(), token: { toString: 'x' } } });
    expect(legacyObject.status).toBe(400);
    expect(remoteShareRows(V)).toBe(0);
  });

  it('answers a share for an unknown user exactly like one for a known user, and stores only the real one', async () => {
    const known = await answer(await call(`${V.url}${OCM}`, 'POST', { json: share(V) }));
    const unknown = await answer(
      await call(`${V.url}${OCM}`, 'POST', { json: share(V, { shareWith: `nobody@${V.url.replace('http://', '')}` }) }),
    );
    expect(unknown).toEqual(known);
    expect(known.status).toBe(201);
    const legacyKnown = await answer(await call(`${V.url}${LEGACY}`, 'POST', { form: legacy() }));
    const legacyUnknown = await answer(
      await call(`${V.url}${LEGACY}`, 'POST', { form: legacy({ shareWith: 'nobody' }) }),
    );
    expect(legacyUnknown).toEqual(legacyKnown);
    expect(legacyKnown.status).toBe(200);
    expect(remoteShareRows(V)).toBe(2);
  });

  it('keeps at most --max-pending-shares shares waiting per user', async () => {
    expect((await call(`${V.url}${OCM}`, 'POST', { json: share(V, { providerId: '9' }) })).status).toBe(201);
    const full = await call(`${V.url}${OCM}`, 'POST', { json: share(V, { providerId: '10' }) });
    expect(full.status).toBe(400);
    expect(await full.json()).toEqual({ message: 'The recipient has too many pending shares' });
    expect(remoteShareRows(V)).toBe(3);
  });

  it('rate-limits anonymous federation calls per client and per sending server (429 with Retry-After)', async () => {
    for (let i = 0; i < 5; i++)
      expect((await call(`${R.url}${OCM}`, 'POST', { json: share(R, { providerId: String(i) }) })).status).toBe(201);
    const limited = await call(`${R.url}${OCM}`, 'POST', { json: share(R, { providerId: '99' }) });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toEqual({ message: 'Too many requests, try again later' });
    // Other federation endpoints share the budget of this client.
    expect((await call(`${R.url}/index.php/ocm/notifications`, 'POST', { json: {} })).status).toBe(429);
    expect((await call(`${R.url}${LEGACY}`, 'POST', { form: legacy() })).status).toBe(429);
    expect(remoteShareRows(R)).toBe(5);
  });

  it("counts a share against its owner's server, so a free-text sender cannot use up another server's budget", async () => {
    const [node, victim] = await Promise.all([
      startNode({
        users: [{ name: 'bob', password: 'bob-pw' }],
        args: ['--federation-rate-limit', '3', '--trusted-proxy', '127.0.0.1'],
      }),
      fakePeer(),
    ]);
    try {
      const from = (ip: string, extra: Record<string, unknown>) =>
        call(`${node.url}${OCM}`, 'POST', { json: share(node, extra), headers: { 'X-Forwarded-For': ip } });
      // One client sends its own shares (its own server as owner), each naming another server as `sender`.
      for (let i = 0; i < 3; i++) {
        const own = await from('203.0.113.1', { providerId: `a${i}`, sender: `x@${victim.url}` });
        expect(own.status).toBe(201);
      }
      // That server's real share, from another address, still goes through.
      const real = await from('203.0.113.2', { providerId: 'v1', owner: `vic@${victim.url}`, sender: undefined });
      expect(real.status).toBe(201);
    } finally {
      await Promise.all([node.stop(), victim.close()]);
    }
  });

  it('stores a share the sender sends again (it got no answer) once, and answers it as the first time', async () => {
    const toCarol = (extra: Record<string, unknown> = {}) =>
      share(V, { shareWith: `carol@${V.url.replace('http://', '')}`, providerId: '70', ...extra });
    const first = await answer(await call(`${V.url}${OCM}`, 'POST', { json: toCarol() }));
    const again = await answer(await call(`${V.url}${OCM}`, 'POST', { json: toCarol() }));
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    expect(remoteShareRows(V, 'carol')).toBe(1);

    const legacyFirst = await answer(await call(`${V.url}${LEGACY}`, 'POST', { form: legacy({ shareWith: 'carol' }) }));
    const legacyAgain = await answer(await call(`${V.url}${LEGACY}`, 'POST', { form: legacy({ shareWith: 'carol' }) }));
    expect(legacyFirst.status).toBe(200);
    expect(legacyAgain).toEqual(legacyFirst);
    expect(remoteShareRows(V, 'carol')).toBe(2);

    // Also when carol has as many pending shares as she may: a retry is no new share, so it is not refused either.
    expect((await call(`${V.url}${OCM}`, 'POST', { json: toCarol({ providerId: '71' }) })).status).toBe(201);
    expect(await answer(await call(`${V.url}${OCM}`, 'POST', { json: toCarol() }))).toEqual(first);
    expect((await call(`${V.url}${OCM}`, 'POST', { json: toCarol({ providerId: '72' }) })).status).toBe(400);
    expect(remoteShareRows(V, 'carol')).toBe(3);
    await expect.poll(() => V.logs()).toContain('share_received_again');
  });
});
