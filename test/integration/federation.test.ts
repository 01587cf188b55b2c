import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { federationSuite } from './suites/federation';
import { startNode } from './helpers/node';
import { call, ocs } from './helpers/http';

// Federation between two single nodes (SQLite). The same suite runs against two-node clusters in
// federation.cluster.test.ts.
federationSuite('single');

// OCM notifications live in the database until the peer took them (federation/notification-outbox.ts).
describe('OCM notifications the peer could not take at once', () => {
  const SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/shares';
  const REMOTE_SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/remote_shares';
  const ALICE: [string, string] = ['alice', 'alice-pw'];
  const BOB: [string, string] = ['bob', 'bob-pw'];

  it("bob accepts while alice's node is down; once it is back, a later round tells it and the share shows accepted", async () => {
    const [A, B] = await Promise.all([
      startNode({
        users: [{ name: 'alice', password: 'alice-pw' }],
        files: { alice: { 'While Down/x.txt': 'x' } },
      }),
      // Retries from 200 ms on (doubling), so the test does not wait the default half minute.
      startNode({ users: [{ name: 'bob', password: 'bob-pw' }], args: ['--notification-retry', '200'] }),
    ]);
    try {
      const created = await ocs(A.url + SHARES, 'POST', {
        auth: ALICE,
        form: { path: '/While Down', shareType: '6', shareWith: `bob@${B.url.replace('http://', '')}` },
      });
      expect(created.status).toBe(200);
      const shareId = (created.body.ocs.data as { id: string }).id;
      const pending = (await ocs(`${B.url}${REMOTE_SHARES}/pending`, 'GET', { auth: BOB })).body.ocs.data as {
        id: string;
      }[];
      expect(pending).toHaveLength(1);

      await A.kill9();
      const accepted = await ocs(`${B.url}${REMOTE_SHARES}/pending/${pending[0]?.id}`, 'POST', { auth: BOB });
      expect(accepted.body.ocs.data).toEqual([{ state: 0, file_target: '/While Down' }]);
      await expect.poll(() => B.logs()).toContain('"event":"ocm_notification_failed"');

      await A.restart();
      const acceptedOnA = async () =>
        (
          (await ocs(`${A.url}${SHARES}/${shareId}`, 'GET', { auth: ALICE })).body.ocs.data as { accepted: boolean }[]
        )[0]?.accepted;
      await expect.poll(acceptedOnA, { timeout: 20_000, interval: 250 }).toBe(true);
      // Delivered: the outbox is empty again.
      expect(await B.withStore((store) => store.claimDueNotifications(Date.now() + 3_600_000, 0, 10))).toEqual([]);
    } finally {
      await Promise.all([A.stop(), B.stop()]);
    }
  }, 40_000);

  it("alice unshares while bob's node is down; once it is back, a later round tells it and bob's mount goes", async () => {
    const [A, B] = await Promise.all([
      startNode({
        users: [{ name: 'alice', password: 'alice-pw' }],
        files: { alice: { 'Unshared Later/x.txt': 'x' } },
        args: ['--notification-retry', '200'],
      }),
      startNode({ users: [{ name: 'bob', password: 'bob-pw' }] }),
    ]);
    try {
      const created = await ocs(A.url + SHARES, 'POST', {
        auth: ALICE,
        form: { path: '/Unshared Later', shareType: '6', shareWith: `bob@${B.url.replace('http://', '')}` },
      });
      const shareId = (created.body.ocs.data as { id: string }).id;
      const pending = (await ocs(`${B.url}${REMOTE_SHARES}/pending`, 'GET', { auth: BOB })).body.ocs.data as {
        id: string;
      }[];
      expect((await ocs(`${B.url}${REMOTE_SHARES}/pending/${pending[0]?.id}`, 'POST', { auth: BOB })).status).toBe(200);
      const mounts = async () =>
        ((await ocs(B.url + REMOTE_SHARES, 'GET', { auth: BOB })).body.ocs.data as { name: string }[]).map(
          (m) => m.name,
        );
      expect(await mounts()).toEqual(['/Unshared Later']);

      await B.kill9();
      expect((await ocs(`${A.url}${SHARES}/${shareId}`, 'DELETE', { auth: ALICE })).status).toBe(200);
      await expect.poll(() => A.logs(), { timeout: 10_000 }).toContain('"event":"ocm_notification_failed"');

      await B.restart();
      await expect.poll(mounts, { timeout: 20_000, interval: 250 }).toEqual([]);
    } finally {
      await Promise.all([A.stop(), B.stop()]);
    }
  }, 40_000);

  it('a deleted folder with more federated shares than one request may make calls tells every receiver', async () => {
    const folders = Array.from({ length: 12 }, (_, i) => `Many/F${i}`);
    const [A, B] = await Promise.all([
      startNode({
        users: [{ name: 'alice', password: 'alice-pw' }],
        files: { alice: Object.fromEntries(folders.map((folder) => [`${folder}/x.txt`, 'x'])) },
      }),
      startNode({ users: [{ name: 'bob', password: 'bob-pw' }] }),
    ]);
    try {
      for (const folder of folders) {
        const created = await ocs(A.url + SHARES, 'POST', {
          auth: ALICE,
          form: { path: `/${folder}`, shareType: '6', shareWith: `bob@${B.url.replace('http://', '')}` },
        });
        expect(created.status).toBe(200);
      }
      const pendingOnB = async () =>
        ((await ocs(`${B.url}${REMOTE_SHARES}/pending`, 'GET', { auth: BOB })).body.ocs.data as unknown[]).length;
      expect(await pendingOnB()).toBe(12);
      // Each SHARE_UNSHARED needs a discovery and a POST: twelve are more calls than one request may cause.
      expect((await call(`${A.url}/remote.php/webdav/Many`, 'DELETE', { auth: ALICE })).status).toBe(204);
      await expect.poll(pendingOnB, { timeout: 15_000, interval: 250 }).toBe(0);
      expect(A.logs()).not.toContain('"event":"ocm_notification_refused"');
    } finally {
      await Promise.all([A.stop(), B.stop()]);
    }
  }, 40_000);

  it('gives up an attempt on a peer that trickles its answer, and keeps the notification for later', async () => {
    let dripping: NodeJS.Timeout | undefined;
    const peer = http.createServer((req, res) => {
      req.resume();
      res.setHeader('Content-Type', 'application/json');
      if (req.method === 'GET' && req.url === '/ocm-provider/') {
        const { port } = peer.address() as AddressInfo;
        res.end(JSON.stringify({ enabled: true, endPoint: `http://127.0.0.1:${port}/ocm` }));
      } else if (req.url === '/ocm/shares') {
        res.statusCode = 201;
        res.end('{}');
      } else {
        // A byte well within every silence timeout, for a minute: only a deadline on the whole attempt ends it.
        res.writeHead(200);
        dripping = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(dripping));
      }
    });
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    const A = await startNode({
      users: [{ name: 'alice', password: 'alice-pw' }],
      files: { alice: { 'Trickled/x.txt': 'x' } },
      args: ['--remote-timeout', '300'],
    });
    try {
      const { port } = peer.address() as AddressInfo;
      const created = await ocs(A.url + SHARES, 'POST', {
        auth: ALICE,
        form: { path: '/Trickled', shareType: '6', shareWith: `nick@http://127.0.0.1:${port}` },
      });
      expect(created.status).toBe(200);
      const shareId = (created.body.ocs.data as { id: string }).id;
      const deleted = ocs(`${A.url}${SHARES}/${shareId}`, 'DELETE', { auth: ALICE });
      await expect.poll(() => A.logs(), { timeout: 15_000 }).toContain('"event":"ocm_notification_failed"');
      expect((await deleted).status).toBe(200);
      // Not dropped: queued for a later round.
      const queued = await A.withStore((store) => store.claimDueNotifications(Date.now() + 3_600_000, 0, 10));
      expect(queued.map((n) => n.type)).toEqual(['SHARE_UNSHARED']);
    } finally {
      clearInterval(dripping);
      peer.closeAllConnections();
      await Promise.all([A.stop(), new Promise((resolve) => peer.close(resolve))]);
    }
  }, 40_000);
});
