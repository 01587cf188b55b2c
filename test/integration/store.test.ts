import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../lib/server/store/sqlite';
import { MIGRATION_LOCK, PostgresStore } from '../../lib/server/store/postgres';
import { MIGRATIONS, migrationSql } from '../../lib/server/store/migrations';
import {
  DerivedSharesFullError,
  MountpointTakenError,
  StoreUnavailableError,
  SynchronousCommitOffError,
} from '../../lib/server/store/errors';
import type { Store } from '../../lib/server/store/types';
import { startPostgres, type PostgresCluster } from './helpers/postgres';

// One behavioural list for every Store method, run against both engines (issue 11): SQLite in a temp file and
// PostgreSQL in a throwaway cluster (helpers/postgres.ts), each test on a fresh database.

let cluster: PostgresCluster;
const dir = mkdtempSync(path.join(tmpdir(), 'atc-store-'));
const opened: Store[] = [];
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  for (const store of opened) await store.close().catch(() => {});
  await cluster.destroy();
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
const engines: [string, () => Promise<Store>][] = [
  ['sqlite', async () => new SqliteStore(path.join(dir, `s${files++}.db`))],
  ['postgres', async () => PostgresStore.open(await cluster.createDatabase())],
];

const link = (owner: string, p: string, token: string) => ({
  shareType: 3 as const,
  owner,
  path: p,
  itemType: 'folder' as const,
  permissions: 1,
  token,
  passwordHash: null,
  expiration: null,
  name: null,
  shareWith: null,
});

/** Runs `work` on a connection of its own to `url`, as another node or an administrator would. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A Login Flow just started (not granted). */
const loginFlow = (pollTokenHash: string, loginToken: string, createdAt: number) => ({
  pollTokenHash,
  loginToken,
  clientName: 'Ext',
  createdAt,
  uid: null,
  appPassword: null,
});

/** A user share another server sent, as federation/receive.ts stores it (pending). */
const received = (uid: string, remoteId: string, shareToken = `t${remoteId}`) => ({
  uid,
  remote: 'https://r',
  remoteId,
  shareToken,
  password: '',
  name: '/Docs',
  owner: 'o@r',
  mountpoint: '{{TemporaryMountPointName#/Docs}}',
  accepted: false,
  itemType: 'folder' as const,
  davUrl: 'https://r/public.php/webdav/',
});

describe.each(engines)('Store on %s', (_engine, open) => {
  let store: Store;
  beforeAll(async () => {
    store = await open();
    opened.push(store);
  });

  it('keeps users and app passwords; a reset removes app passwords and pending login flow grants', async () => {
    await store.addUser({ uid: 'bob', displayName: 'Bob', passwordHash: 'h0' });
    await store.addUser({ uid: 'alice', displayName: 'Alice', passwordHash: 'h1' });
    await store.addUser({ uid: 'alice', displayName: 'Alice L.', passwordHash: 'h2' });
    expect(await store.getUser('alice')).toEqual({ uid: 'alice', displayName: 'Alice L.', passwordHash: 'h2' });
    expect(await store.getUser('nobody')).toBeUndefined();
    expect((await store.listUsers()).map((u) => u.uid)).toEqual(['alice', 'bob']);

    const first = await store.addAppPassword('alice', 'Phone', 'sh1');
    const second = await store.addAppPassword('alice', 'Laptop', 'sh2');
    expect(second).toBeGreaterThan(first);
    expect(await store.findAppPassword('alice', 'sh1')).toEqual({ id: first, uid: 'alice', name: 'Phone' });
    expect(await store.findAppPassword('bob', 'sh1')).toBeUndefined();
    await store.touchAppPassword(first, 1234);
    const listed = await store.listAppPasswords('alice');
    expect(listed.map((e) => [e.id, e.name, e.lastUsedAt])).toEqual([
      [first, 'Phone', 1234],
      [second, 'Laptop', null],
    ]);
    expect(typeof listed[0]?.createdAt).toBe('number');
    expect(await store.deleteAppPasswordOf('bob', first)).toBe(false);
    expect(await store.deleteAppPasswordOf('alice', first)).toBe(true);
    await store.deleteAppPassword(second);
    expect(await store.listAppPasswords('alice')).toEqual([]);

    await store.addAppPassword('alice', 'A', 'sh3');
    await store.addAppPassword('alice', 'B', 'sh4');
    await store.addLoginFlow(loginFlow('p-granted', 'l-granted', 10), 100);
    await store.grantLoginFlow('l-granted', 'alice', 'secret');
    expect(await store.deleteAllAppPasswordsOf('alice')).toBe(2);
    expect(await store.getLoginFlowByLoginToken('l-granted')).toBeUndefined();
  });

  it('runs Login Flow v2 state: create, grant, read, expire, take', async () => {
    await store.addLoginFlow(loginFlow('p1', 'l1', 100), 100);
    await store.addLoginFlow(loginFlow('p2', 'l2', 200), 100);
    await store.grantLoginFlow('l1', 'bob', 'app-secret');
    expect(await store.getLoginFlowByLoginToken('l1')).toEqual({
      pollTokenHash: 'p1',
      loginToken: 'l1',
      clientName: 'Ext',
      createdAt: 100,
      uid: 'bob',
      appPassword: 'app-secret',
    });
    expect((await store.getLoginFlowByLoginToken('l2'))?.uid).toBeNull();
    await store.deleteLoginFlowsBefore(150);
    expect(await store.getLoginFlowByLoginToken('l1')).toBeUndefined();
    await store.grantLoginFlow('l2', 'bob', 'app-secret-2');
    expect((await store.takeGrantedLoginFlow('p2'))?.appPassword).toBe('app-secret-2');
    expect(await store.getLoginFlowByLoginToken('l2')).toBeUndefined();
  });

  it('grants a Login Flow once: a second grant (a double submit, another node) changes nothing', async () => {
    await store.addLoginFlow(loginFlow('p-grant', 'l-grant', 100), 100);
    const grants = await Promise.all([
      store.grantLoginFlow('l-grant', 'bob', 'first-secret'),
      store.grantLoginFlow('l-grant', 'bob', 'second-secret'),
    ]);
    expect([...grants].sort()).toEqual([false, true]);
    const granted = await store.getLoginFlowByLoginToken('l-grant');
    expect(granted?.appPassword).toBe(grants[0] ? 'first-secret' : 'second-secret');
    expect(await store.grantLoginFlow('l-grant', 'alice', 'third-secret')).toBe(false);
    expect((await store.getLoginFlowByLoginToken('l-grant'))?.uid).toBe('bob');
    expect(await store.grantLoginFlow('no-such-flow', 'bob', 'x')).toBe(false);
    await store.takeGrantedLoginFlow('p-grant');
  });

  it('keeps at most `max` Login Flows (anyone may start one): the oldest go, the new one stays', async () => {
    const flow = (n: number, createdAt: number) => loginFlow(`p-cap-${n}`, `l-cap-${n}`, createdAt);
    await store.deleteLoginFlowsBefore(Number.MAX_SAFE_INTEGER);
    await store.addLoginFlow(flow(1, 500), 3);
    await store.addLoginFlow(flow(2, 600), 3);
    await store.addLoginFlow(flow(3, 600), 3);
    await store.addLoginFlow(flow(4, 600), 3); // the oldest (1) goes
    await store.addLoginFlow(flow(5, 100), 3); // a clock behind: still the one just started stays
    const kept = [];
    for (let n = 1; n <= 5; n++) if (await store.getLoginFlowByLoginToken(`l-cap-${n}`)) kept.push(n);
    expect(kept).toHaveLength(3);
    expect(kept).not.toContain(1);
    expect(kept).toContain(5);
    await store.deleteLoginFlowsBefore(Number.MAX_SAFE_INTEGER);
  });

  it('hands a granted Login Flow out once: of two concurrent takes exactly one gets it, an ungranted flow stays', async () => {
    const flow = (poll: string) => loginFlow(poll, `login-${poll}`, 100);
    await store.addLoginFlow(flow('p-take'), 100);
    await store.addLoginFlow(flow('p-waiting'), 100);
    expect(await store.takeGrantedLoginFlow('p-waiting')).toBeUndefined();
    expect((await store.getLoginFlowByLoginToken('login-p-waiting'))?.pollTokenHash).toBe('p-waiting');

    await store.grantLoginFlow('login-p-take', 'bob', 'app-secret');
    const takes = await Promise.all([store.takeGrantedLoginFlow('p-take'), store.takeGrantedLoginFlow('p-take')]);
    expect(takes.filter((taken) => taken !== undefined)).toEqual([
      {
        pollTokenHash: 'p-take',
        loginToken: 'login-p-take',
        clientName: 'Ext',
        createdAt: 100,
        uid: 'bob',
        appPassword: 'app-secret',
      },
    ]);
    expect(await store.getLoginFlowByLoginToken('login-p-take')).toBeUndefined();
  });

  it('keeps shares: create, read, update, move below a prefix (no LIKE wildcards), derive, delete with their derived shares', async () => {
    const parent = await store.addShare(link('bob', '/a', 'tok-a'));
    expect(parent).toMatchObject({
      shareType: 3,
      owner: 'bob',
      path: '/a',
      accepted: false,
      itemKey: null,
      parentId: null,
    });
    for (const [p, t] of [
      ['/a/b', 'tok-ab'],
      ['/ab', 'tok-ab2'],
      ['/a%', 'tok-pct'],
      ['/😀', 'tok-emoji'],
      ['/😀/x', 'tok-emoji-x'],
    ])
      await store.addShare(link('bob', p ?? '', t ?? ''));
    const derived = await store.addShare({
      ...link('bob', '/a', 'tok-fed'),
      shareType: 6,
      shareWith: 'x@y',
      parentId: parent.id,
      accepted: true,
      itemKey: 'k1',
    });
    expect(derived).toMatchObject({ shareType: 6, parentId: parent.id, accepted: true, itemKey: 'k1' });
    expect((await store.getShare(parent.id))?.token).toBe('tok-a');
    expect((await store.getShareByToken('tok-ab'))?.path).toBe('/a/b');
    expect((await store.listShares('bob', '/a')).map((s) => s.token)).toEqual(['tok-a', 'tok-fed']);
    expect((await store.listSharesUnder('bob', '/a')).map((s) => s.path)).toEqual(['/a', '/a/b', '/a']);
    expect((await store.listDerivedShares(parent.id)).map((s) => s.id)).toEqual([derived.id]);
    const changes = {
      permissions: 15,
      passwordHash: 'pw',
      expiration: '2030-01-01',
      name: 'N',
      accepted: true,
      itemKey: 'k0',
    };
    await store.updateShare(parent.id, changes);
    expect(await store.getShare(parent.id)).toMatchObject(changes);
    await store.moveShares('bob', '/😀', '/z');
    await store.moveShares('bob', '/a', '/c');
    expect((await store.listShares('bob')).map((s) => s.path)).toEqual([
      '/c',
      '/c/b',
      '/ab',
      '/a%',
      '/z',
      '/z/x',
      '/c',
    ]);
    await store.deleteShare(parent.id);
    expect(await store.getShare(derived.id)).toBeUndefined(); // ON DELETE CASCADE
  });

  it('makes at most `maxDerived` shares from one link (anyone with the link may ask), also when asked at once', async () => {
    const parent = await store.addShare(link('hank', '/l', 'tok-l'));
    const derived = (i: number) => ({
      ...link('hank', '/l', `tok-l-${i}`),
      shareType: 6 as const,
      shareWith: `u${i}@r`,
      parentId: parent.id,
    });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => store.addShare(derived(i), 2)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    for (const result of results)
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(DerivedSharesFullError);
    expect(await store.listDerivedShares(parent.id)).toHaveLength(2);
    // Shares not made from a link have no such bound.
    expect((await store.addShare(link('hank', '/l', 'tok-l-own'), 0)).parentId).toBeNull();
    await store.deleteShare(parent.id);
  });

  it('keeps remote shares and the dropped-share counter', async () => {
    const remote = await store.addExternalShare({
      uid: 'bob',
      kind: 'user',
      remote: 'https://r',
      remoteId: '7',
      shareToken: 'st',
      password: '',
      name: '/n',
      owner: 'o@r',
      mountpoint: '/n',
      accepted: false,
      itemType: 'file',
      davUrl: 'https://r/dav/',
    });
    expect(remote).toMatchObject({ uid: 'bob', kind: 'user', accepted: false, itemType: 'file' });
    expect(await store.getExternalShare('alice', remote.id)).toBeUndefined();
    expect(await store.listExternalShares('bob', false)).toHaveLength(1);
    expect((await store.findExternalShareBySecret('7', 'st'))?.id).toBe(remote.id);
    await store.acceptExternalShare(remote.id, '/mounted', 'folder');
    await store.setExternalShareDavUrl(remote.id, 'https://r/dav2/');
    expect(await store.getExternalShare('bob', remote.id)).toMatchObject({
      accepted: true,
      mountpoint: '/mounted',
      itemType: 'folder',
      davUrl: 'https://r/dav2/',
    });
    expect((await store.listExternalShares('bob', true)).length).toBe(1);
    expect((await store.listExternalShares('bob', false)).length).toBe(0);
    expect((await store.listExternalShares('bob')).length).toBe(1);
    await store.countDroppedShare();
    await store.deleteExternalShare(remote.id);
    expect(await store.listExternalShares('bob')).toEqual([]);
  });

  it('stores a received share once: a retried or concurrent delivery of the same share is no second one', async () => {
    expect(await store.addReceivedShare(received('erin', '41', 'first'), 10)).toBe('stored');
    expect(await store.addReceivedShare(received('erin', '41', 'retried'), 10)).toBe('known');
    const concurrent = await Promise.all([
      store.addReceivedShare(received('erin', '42', 'a'), 10),
      store.addReceivedShare(received('erin', '42', 'b'), 10),
    ]);
    expect(concurrent.sort()).toEqual(['known', 'stored']);
    expect(await store.addReceivedShare(received('frank', '41', 'other user'), 10)).toBe('stored');
    const erins = await store.listExternalShares('erin');
    expect(erins.map((share) => [share.kind, share.remoteId])).toEqual([
      ['user', '41'],
      ['user', '42'],
    ]);
    expect(erins[0]?.shareToken).toBe('first');
    // Mounted, it still counts: the retry does not bring it back as pending.
    expect(await store.acceptExternalShare(erins[0]?.id ?? 0, '/Docs', 'folder')).toBe(true);
    expect(await store.addReceivedShare(received('erin', '41', 'late retry'), 10)).toBe('known');
    expect(await store.listExternalShares('erin', false)).toHaveLength(1);
  });

  it('stores at most `maxPending` pending received shares of a user, also when they arrive at the same time', async () => {
    await store.addUser({ uid: 'gina', displayName: 'Gina', passwordHash: 'h' });
    const results = await Promise.all(
      ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'].map((id) => store.addReceivedShare(received('gina', id), 2)),
    );
    expect(results.filter((r) => r === 'stored')).toHaveLength(2);
    expect(results.filter((r) => r === 'full')).toHaveLength(4);
    expect(await store.listExternalShares('gina', false)).toHaveLength(2);
    // A retry of one that is stored is answered as stored before, full or not.
    const storedId = (await store.listExternalShares('gina'))[0]?.remoteId ?? '';
    expect(await store.addReceivedShare(received('gina', storedId), 2)).toBe('known');
    // Accepted ones are no longer pending: room for another.
    const first = (await store.listExternalShares('gina'))[0];
    expect(await store.acceptExternalShare(first?.id ?? 0, '/Docs', 'folder')).toBe(true);
    expect(await store.addReceivedShare(received('gina', 'b7'), 2)).toBe('stored');
    expect(await store.addReceivedShare(received('gina', 'b8'), 2)).toBe('full');
  });

  it('gives a mount point to one mounted external share of a user only; pending ones and other users may share it', async () => {
    const external = (uid: string, remoteId: string, mountpoint: string, accepted: boolean) => ({
      uid,
      kind: 'user' as const,
      remote: 'https://r',
      remoteId,
      shareToken: `t${remoteId}`,
      password: '',
      name: '/Docs',
      owner: 'o@r',
      mountpoint,
      accepted,
      itemType: 'folder' as const,
      davUrl: 'https://r/dav/',
    });
    const mounted = await store.addExternalShare(external('carol', 'm1', '/Docs', true));
    await expect(store.addExternalShare(external('carol', 'm2', '/Docs', true))).rejects.toBeInstanceOf(
      MountpointTakenError,
    );
    const first = await store.addExternalShare(external('carol', 'p1', '{{TemporaryMountPointName#/Docs}}', false));
    const second = await store.addExternalShare(external('carol', 'p2', '{{TemporaryMountPointName#/Docs}}', false));
    await store.addExternalShare(external('dave', 'm3', '/Docs', true));
    await expect(store.acceptExternalShare(first.id, '/Docs', 'folder')).rejects.toBeInstanceOf(MountpointTakenError);
    expect(await store.acceptExternalShare(first.id, '/Docs (2)', 'folder')).toBe(true);
    await store.deleteExternalShare(mounted.id);
    expect(await store.acceptExternalShare(second.id, '/Docs', 'folder')).toBe(true);
    expect((await store.listExternalShares('carol', true)).map((s) => s.mountpoint).sort()).toEqual([
      '/Docs',
      '/Docs (2)',
    ]);
  });

  // The outbox of OCM notifications (store/outbox.ts). Times are small numbers: the store only compares them.
  const queued = (id: string, remote: string, at: number, limits = { perRemote: 2, total: 3 }) => ({
    notification: {
      id,
      remote,
      type: 'SHARE_ACCEPTED' as const,
      providerId: '7',
      sharedSecret: `secret-${id}`,
      message: 'Recipient accepted the share',
      createdAt: at,
      nextAttemptAt: at,
    },
    limits,
  });

  it('queues OCM notifications bounded per peer and in all; one claim takes each, backoff, give up', async () => {
    expect(await store.enqueueNotification(queued('n1', 'https://a', 1000))).toBe(true);
    expect(await store.enqueueNotification(queued('n2', 'https://a', 1000))).toBe(true);
    expect(await store.enqueueNotification(queued('n3', 'https://a', 1000))).toBe(false); // peer a is full
    expect(await store.enqueueNotification(queued('n4', 'https://b', 1001))).toBe(true);
    expect(await store.enqueueNotification(queued('n5', 'https://c', 1000))).toBe(false); // the outbox is full

    // Claims running at the same time never take the same notification, and together take all that are due.
    const claims = await Promise.all([1, 2, 3, 4].map(() => store.claimDueNotifications(1001, 5000, 2)));
    const claimed = claims.flat().map((n) => n.id);
    expect(claimed.sort()).toEqual(['n1', 'n2', 'n4']);
    expect(claims.flat().find((n) => n.id === 'n1')).toEqual({
      ...queued('n1', 'https://a', 1000).notification,
      attempts: 0,
      nextAttemptAt: 5000,
    });
    // While claimed (leased until 5000) nobody else gets them.
    expect(await store.claimDueNotifications(4999, 9000, 10)).toEqual([]);

    // A failed attempt is counted and due again at the time given (the caller's backoff).
    await store.rescheduleNotification('n1', 2000);
    await store.rescheduleNotification('n2', 7000);
    const again = await store.claimDueNotifications(2000, 6000, 10);
    expect(again.map((n) => [n.id, n.attempts])).toEqual([['n1', 1]]);

    // Delivered: gone. Given up: those that failed too often or are too old, returned for the log.
    await store.deleteNotification('n4');
    expect((await store.dropStaleNotifications(1, 0)).map((n) => n.id).sort()).toEqual(['n1', 'n2']);
    expect(await store.claimDueNotifications(99_999, 100_000, 10)).toEqual([]);
    expect(await store.enqueueNotification(queued('n6', 'https://a', 3000))).toBe(true);
    expect((await store.dropStaleNotifications(30, 3000)).map((n) => n.id)).toEqual([]);
    expect((await store.dropStaleNotifications(30, 3001)).map((n) => n.id)).toEqual(['n6']);
  });

  it('gives a notification to exactly one of many claims at the same time', async () => {
    expect(await store.enqueueNotification(queued('only', 'https://a', 1000))).toBe(true);
    const claims = await Promise.all(Array.from({ length: 6 }, () => store.claimDueNotifications(1000, 5000, 1)));
    expect(claims.map((c) => c.length).sort()).toEqual([0, 0, 0, 0, 0, 1]);
    await store.deleteNotification('only');
  });

  it("queues the owner's SHARE_ACCEPTED with the accept, and only when this accept won", async () => {
    const pending = await store.addExternalShare({
      uid: 'erin',
      kind: 'user',
      remote: 'https://r',
      remoteId: '9',
      shareToken: 'st9',
      password: '',
      name: '/Shared',
      owner: 'o@r',
      mountpoint: '{{TemporaryMountPointName#/Shared}}',
      accepted: false,
      itemType: 'folder',
      davUrl: 'https://r/dav/',
    });
    await store.addExternalShare({
      ...pending,
      remoteId: '10',
      shareToken: 'st10',
      mountpoint: '/Taken',
      accepted: true,
    });
    // A mount point another mount has: the accept fails, and so does the queueing (one transaction).
    await expect(
      store.acceptExternalShare(pending.id, '/Taken', 'folder', queued('lost', 'https://r', 1000)),
    ).rejects.toBeInstanceOf(MountpointTakenError);
    expect(await store.acceptExternalShare(pending.id, '/Shared', 'folder', queued('won', 'https://r', 1000))).toBe(
      true,
    );
    expect(await store.acceptExternalShare(pending.id, '/Shared 2', 'folder', queued('late', 'https://r', 1000))).toBe(
      false,
    );
    expect((await store.claimDueNotifications(1000, 5000, 10)).map((n) => n.id)).toEqual(['won']);
    await store.deleteNotification('won');
  });

  it('keeps sessions with their unlocked links, bounded without dropping logged-in ones, and sweeps them', async () => {
    await store.addSession({ idHash: 's-alice', requestToken: 'r', uid: 'alice', stamp: 'st', lastSeen: 1000 }, [5]);
    for (let i = 0; i < 5; i++)
      await store.addSession(
        { idHash: `s-anon-${i}`, requestToken: 'r', uid: null, stamp: null, lastSeen: 2000 + i },
        [],
      );
    expect(await store.getSession('s-alice')).toEqual({
      idHash: 's-alice',
      requestToken: 'r',
      uid: 'alice',
      stamp: 'st',
      lastSeen: 1000,
      unlockedShares: [5],
      accountPasswordHash: 'h2',
    });
    await store.unlockShareInSession('s-anon-0', 9);
    await store.unlockShareInSession('missing', 9); // no session: nothing stored
    expect((await store.getSession('s-anon-0'))?.unlockedShares).toEqual([9]);
    await store.forgetUnlockedShare(9);
    expect((await store.getSession('s-anon-0'))?.unlockedShares).toEqual([]);
    await store.touchSession('s-anon-0', 3000);
    expect(await store.countSessions()).toBe(6);
    expect(await store.makeSessionRoom(6, 0, false)).toBe(true); // the oldest anonymous one (s-anon-1) went
    expect(await store.getSession('s-anon-1')).toBeUndefined();
    expect(await store.getSession('s-alice')).toBeDefined();
    expect(await store.makeSessionRoom(1, 0, false)).toBe(true); // the anonymous ones go
    expect(await store.countSessions()).toBe(1);
    expect(await store.makeSessionRoom(1, 0, false)).toBe(false); // only the logged-in one left: no room for anonymous
    expect(await store.getSession('s-alice')).toBeDefined();
    expect(await store.makeSessionRoom(1, 0, true)).toBe(true); // a login may push out the least recently used login
    expect(await store.countSessions()).toBe(0);
    await store.addSession({ idHash: 's-old', requestToken: 'r', uid: 'bob', stamp: 'x', lastSeen: 10 }, [1, 2]);
    await store.addSession({ idHash: 's-new', requestToken: 'r', uid: 'bob', stamp: 'x', lastSeen: 10_000 }, []);
    await store.sweepNodeState({ sessionsBefore: 100, failuresBefore: 0, windowsBefore: 0, maxFailures: 100 });
    expect(await store.getSession('s-old')).toBeUndefined();
    await store.deleteSessionsOf('bob');
    expect(await store.getSession('s-new')).toBeUndefined();
    await store.addSession({ idHash: 's-x', requestToken: 'r', uid: null, stamp: null, lastSeen: 1 }, []);
    await store.deleteSession('s-x');
    expect(await store.countSessions()).toBe(0);
  });

  it('pins peer keys, at most `max` of them (also when seen at the same instant), always the one just pinned', async () => {
    const key = (identity: string) => ({ keyId: `${identity}#main`, publicKeyPem: `pem of ${identity}` });
    const identities = ['a.example', 'b.example', 'c.example', 'd.example'];
    const pinned = async () => {
      const found = [];
      for (const identity of identities) if (await store.getPeerKey(identity)) found.push(identity);
      return found;
    };
    await store.savePeerKey('c.example', key('c.example'), 5000, 2);
    expect(await store.getPeerKey('c.example')).toEqual(key('c.example'));
    await store.savePeerKey('b.example', key('b.example'), 5000, 2);
    await store.savePeerKey('a.example', key('a.example'), 5000, 2);
    expect(await pinned()).toHaveLength(2);
    expect(await pinned()).toContain('a.example');
    await store.savePeerKey('d.example', key('d.example'), 6000, 2);
    expect(await pinned()).toHaveLength(2);
    expect(await pinned()).toContain('d.example');
    await store.savePeerKey('d.example', undefined, 7000, 2); // advertises none now: unpinned
    expect(await store.getPeerKey('d.example')).toBeUndefined();
  });

  it('never drops the pins of peers we share with for strangers; strangers go least recently seen first', async () => {
    const key = (identity: string) => ({ keyId: `${identity}#main`, publicKeyPem: `pem of ${identity}` });
    const max = 8;
    // Related, each named in another spelling than its pin: a cloud id we shared with, an accepted received share, a
    // mounted public link. A pending received share is no relationship (anyone can send one).
    await store.addShare({
      ...link('alice', '/f', 'tok-f'),
      shareType: 6,
      shareWith: 'bob@https://Sent.Example:443/nc/',
    });
    await store.addReceivedShare({ ...received('alice', '51', 'acc'), remote: 'https://ACCEPTED.example/' }, 10);
    const toAccept = await store.findExternalShareBySecret('51', 'acc');
    await store.acceptExternalShare(toAccept?.id ?? -1, '/accepted', 'folder');
    await store.addReceivedShare({ ...received('alice', '52', 'pend'), remote: 'https://pending.example' }, 10);
    const mounted = { ...received('alice', '-1', 'lnk'), remote: 'http://linked.example:8080/', mountpoint: '/linked' };
    await store.addExternalShare({ ...mounted, kind: 'link', accepted: true });
    const related = ['sent.example', 'accepted.example', 'linked.example:8080'];
    const strangers = Array.from({ length: 3 * max }, (_, i) => `s${String(i).padStart(2, '0')}.example`);
    // The test before left pins of a, b or c.example (seen at 5000 and 6000, before all of these): strangers too.
    const all = [...related, 'pending.example', ...strangers, 'a.example', 'b.example', 'c.example'];
    const pinned = async () => {
      const found = [];
      for (const identity of all) if (await store.getPeerKey(identity)) found.push(identity);
      return found;
    };
    for (const identity of [...related, 'pending.example'])
      await store.savePeerKey(identity, key(identity), 10_000, max);
    for (const [i, identity] of strangers.entries()) await store.savePeerKey(identity, key(identity), 20_000 + i, max);
    const kept = await pinned();
    expect(kept).toHaveLength(max);
    expect(kept).toEqual([...related, ...strangers.slice(-(max - related.length))]);
  });

  it('keeps unlocked links of any id a share can have in a session', async () => {
    const large = 2 ** 31 + 5; // beyond a 32-bit integer: share ids are BIGINT
    await store.addSession({ idHash: 's-large', requestToken: 'r', uid: null, stamp: null, lastSeen: 1 }, [large]);
    await store.unlockShareInSession('s-large', 7);
    expect((await store.getSession('s-large'))?.unlockedShares.sort((x, y) => x - y)).toEqual([7, large]);
    await store.deleteSession('s-large');
  });

  it('counts failures per key in a window, and rate windows per key', async () => {
    expect(await store.addFailure('k', 1000, 0)).toEqual({ count: 1, last: 1000 });
    expect(await store.addFailure('k', 2000, 0)).toEqual({ count: 2, last: 2000 });
    expect(await store.addFailure('k', 9000, 5000)).toEqual({ count: 1, last: 9000 }); // last failure before the window
    expect(await store.getFailures(['k', 'other'], 0)).toEqual(new Map([['k', { count: 1, last: 9000 }]]));
    expect(await store.getFailures(['k'], 9001)).toEqual(new Map());
    await store.clearFailures('k');
    expect(await store.getFailures(['k'], 0)).toEqual(new Map());
    await store.addFailure('old', 10, 0);
    await store.sweepNodeState({ sessionsBefore: 0, failuresBefore: 100, windowsBefore: 0, maxFailures: 100 });
    expect(await store.getFailures(['old'], 0)).toEqual(new Map());

    // Beyond the cap the oldest go (one of two seen at the same instant, by key), whatever their window.
    for (const [key, at] of [
      ['f1', 1000],
      ['f2', 2000],
      ['f3', 2000],
      ['f4', 3000],
    ] as const)
      await store.addFailure(key, at, 0);
    await store.sweepNodeState({ sessionsBefore: 0, failuresBefore: 0, windowsBefore: 0, maxFailures: 2 });
    expect([...(await store.getFailures(['f1', 'f2', 'f3', 'f4'], 0)).keys()].sort()).toEqual(['f3', 'f4']);
    await store.sweepNodeState({ sessionsBefore: 0, failuresBefore: 0, windowsBefore: 0, maxFailures: 2 });
    expect((await store.getFailures(['f3', 'f4'], 0)).size).toBe(2);
    await store.sweepNodeState({ sessionsBefore: 0, failuresBefore: 0, windowsBefore: 0, maxFailures: 0 });
    expect((await store.getFailures(['f3', 'f4'], 0)).size).toBe(0);

    expect(await store.hitRateWindows(['a', 'b', 'a'], 1000, 0)).toEqual(
      new Map([
        ['a', { start: 1000, count: 1 }],
        ['b', { start: 1000, count: 1 }],
      ]),
    );
    expect((await store.hitRateWindows(['a'], 1500, 0)).get('a')).toEqual({ start: 1000, count: 2 });
    expect((await store.hitRateWindows(['a'], 70_000, 10_000)).get('a')).toEqual({ start: 70_000, count: 1 }); // new window
    await store.sweepNodeState({ sessionsBefore: 0, failuresBefore: 0, windowsBefore: 50_000, maxFailures: 100 });
    expect((await store.hitRateWindows(['b'], 80_000, 0)).get('b')).toEqual({ start: 80_000, count: 1 }); // b was swept
  });

  it('finds nothing for ids no row can have (1e20, 1.5), as URLs may carry them', async () => {
    for (const id of [1e20, 1.5, -1]) {
      expect(await store.getShare(id)).toBeUndefined();
      expect(await store.getExternalShare('bob', id)).toBeUndefined();
      expect(await store.deleteAppPasswordOf('bob', id)).toBe(false);
      expect(await store.listDerivedShares(id)).toEqual([]);
      await store.deleteShare(id);
      await store.deleteExternalShare(id);
    }
  });

  it('passes its integrity check', async () => {
    expect(await store.integrityCheck()).toBe('ok');
  });
});

describe('PostgreSQL schema', () => {
  it('migrates once when several nodes start at the same time (advisory lock)', async () => {
    const url = await cluster.createDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(url)));
    opened.push(...stores);
    for (const store of stores) expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    const versions = await withClient(
      url,
      async (client) => (await client.query('SELECT version FROM schema_version')).rows,
    );
    expect(versions).toEqual([{ version: MIGRATIONS.length }]);
  });

  it('waits for another node that migrates, however long that takes (no query timeout while migrating)', async () => {
    const url = await cluster.createDatabase();
    const store = await withClient(url, async (other) => {
      // Another node holds the migration lock for longer than this node's query timeout.
      await other.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const opening = PostgresStore.open(url, { queryTimeoutMs: 300 });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await other.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      return opening;
    });
    opened.push(store);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
  });

  it('keeps the pin cap without over-pruning when several nodes pin at the same time', async () => {
    const url = await cluster.createDatabase();
    const nodes = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(url)));
    opened.push(...nodes);
    const max = 10;
    await nodes[0]?.addShare({ ...link('alice', '/f', 'tok-f'), shareType: 6, shareWith: 'bob@friend.example' });
    const pin = (node: PostgresStore, identity: string, seenAt: number) =>
      node.savePeerKey(identity, { keyId: `${identity}#main`, publicKeyPem: 'pem' }, seenAt, max);
    await pin(nodes[0] as PostgresStore, 'friend.example', 1);
    await Promise.all(
      nodes.map(async (node, n) => {
        for (let i = 0; i < 3 * max; i++) await pin(node, `s${n}-${i}.example`, 100 + i);
      }),
    );
    const rows = await withClient(
      url,
      async (client) => (await client.query<{ identity: string }>('SELECT identity FROM peer_keys')).rows,
    );
    expect(rows).toHaveLength(max);
    expect(rows.map((row) => row.identity)).toContain('friend.example');
  });

  it("forces synchronous_commit on for the store's connections, where the database's default is off", async () => {
    const url = await cluster.createDatabase();
    const byDefault = await withClient(url, async (client) => (await client.query('SHOW synchronous_commit')).rows[0]);
    expect(byDefault).toEqual({ synchronous_commit: 'off' });
    const store = await PostgresStore.open(url);
    opened.push(store);
    expect(await store.synchronousCommit()).toBe('on');
    expect(await store.integrityCheck()).toBe('ok');
  });

  it('refuses a URL whose options parameter turns synchronous_commit off (it replaces the options the store sets)', async () => {
    const url = await cluster.createDatabase();
    const withOptions = (value: string) => `${url}&options=${encodeURIComponent(`-c synchronous_commit=${value}`)}`;
    await expect(PostgresStore.open(withOptions('off'))).rejects.toBeInstanceOf(SynchronousCommitOffError);
    // Values that still wait for the local WAL flush are fine.
    const local = await PostgresStore.open(withOptions('local'));
    opened.push(local);
    expect(await local.synchronousCommit()).toBe('local');
  });
});

describe('the step that makes received shares unique', () => {
  const step = MIGRATIONS.findIndex((m) => migrationSql(m, 'sqlite').includes('remote_shares_received'));
  // Rows as a race before the step could leave them: [uid, kind, remote_id, accepted].
  const before: [string, string, string, number][] = [
    ['bob', 'user', '7', 0],
    ['bob', 'user', '7', 0], // a retry: goes
    ['bob', 'user', '8', 0], // goes: its younger twin was accepted by the user
    ['bob', 'user', '8', 1],
    ['carol', 'user', '7', 0],
    ['bob', 'link', '-1', 1], // mounted public links are no received shares: both stay
    ['bob', 'link', '-1', 1],
  ];
  const insert = `INSERT INTO remote_shares (uid, kind, remote, remote_id, share_token, password, name, owner, mountpoint,
    accepted, item_type, dav_url, created_at) VALUES ($1, $2, 'https://r', $3, 't', '', '/n', 'o', $4, $5, 'folder', 'd', 0)`;
  const values = ([uid, kind, remoteId, accepted]: (typeof before)[number], i: number) => [
    uid,
    kind,
    remoteId,
    `/m${i}`,
    accepted,
  ];
  const kept = async (store: Store) =>
    (await store.listExternalShares('bob')).map((share) => [share.kind, share.remoteId, share.accepted]);
  const expected = [
    ['user', '7', false],
    ['user', '8', true],
    ['link', '-1', true],
    ['link', '-1', true],
  ];

  it('keeps one of each received share on SQLite (the accepted one, else the oldest)', async () => {
    expect(step).toBeGreaterThan(0);
    const file = path.join(dir, 'unique-received.db');
    const old = new Database(file);
    for (const m of MIGRATIONS.slice(0, step)) old.exec(migrationSql(m, 'sqlite'));
    old.pragma(`user_version = ${step}`);
    before.forEach((row, i) => old.prepare(insert.replace(/\$\d/g, '?')).run(...values(row, i)));
    old.close();
    const store = new SqliteStore(file);
    opened.push(store);
    expect(await kept(store)).toEqual(expected);
    expect((await store.listExternalShares('carol')).length).toBe(1);
  });

  it('keeps one of each received share on PostgreSQL (the accepted one, else the oldest)', async () => {
    const url = await cluster.createDatabase();
    await withClient(url, async (client) => {
      await client.query('CREATE TABLE schema_version (version INTEGER NOT NULL)');
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [step]);
      for (const m of MIGRATIONS.slice(0, step)) await client.query(migrationSql(m, 'postgres'));
      for (const [i, row] of before.entries()) await client.query(insert, values(row, i));
    });
    const store = await PostgresStore.open(url);
    opened.push(store);
    expect(await kept(store)).toEqual(expected);
    expect((await store.listExternalShares('carol')).length).toBe(1);
  });
});

describe('PostgreSQL that stops answering', () => {
  it('fails the query after the timeout (a 503 for the client) and works again once the database answers', async () => {
    const store = await PostgresStore.open(await cluster.createDatabase(), { queryTimeoutMs: 500 });
    opened.push(store);
    await store.addUser({ uid: 'x', displayName: 'X', passwordHash: 'h' });
    await cluster.freeze(true);
    try {
      const started = Date.now();
      await expect(store.getUser('x')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await cluster.freeze(false);
    }
    expect((await store.getUser('x'))?.uid).toBe('x');
  });
});
