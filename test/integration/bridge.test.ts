import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ocs } from './helpers/http';
import { startNode, type TestNode } from './helpers/node';

/**
 * The companion as a bridge (docs/protocols.md#companion-bridge): a pair that cannot federate directly (an ownCloud 10
 * link into a Nextcloud account, oCIS links) goes through a companion the user controls. The bridge mounts the public
 * link for the user's bridge account, then shares that mount with the user's cloud id over OCM; the user's instance
 * reads through the bridge to the original link.
 */
let sharer: TestNode;
let bridge: TestNode;
let home: TestNode;
const ALICE = { name: 'alice', password: 'alicepass123' };
const BRIDGE = { name: 'bob', password: 'bridgepass123' };
const HOME = { name: 'bob', password: 'homepass123' };

beforeAll(async () => {
  [sharer, bridge, home] = await Promise.all([
    startNode({ users: [ALICE], files: { alice: { 'Trip/day1.txt': 'beach' } } }),
    startNode({ users: [BRIDGE] }),
    startNode({ users: [HOME] }),
  ]);
});

afterAll(async () => {
  await Promise.all([sharer?.stop(), bridge?.stop(), home?.stop()]);
});

describe('bridging a link through a companion', () => {
  it('mounts the link on the bridge, shares the mount over OCM, and the home instance reads through', async () => {
    const link = await ocs(`${sharer.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
      auth: [ALICE.name, ALICE.password],
      form: { path: '/Trip', shareType: '3', permissions: '1' },
    });
    const token = (link.body.ocs.data as { token: string }).token;

    const mounted = await call(`${bridge.url}/index.php/apps/files_sharing/external`, 'POST', {
      auth: [BRIDGE.name, BRIDGE.password],
      form: { remote: sharer.url, token, owner: 'alice', ownerDisplayName: 'alice', name: 'Trip', password: '' },
    });
    expect(mounted.status).toBe(200);

    const shared = await ocs(`${bridge.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
      auth: [BRIDGE.name, BRIDGE.password],
      form: { path: '/Trip', shareType: '6', shareWith: `bob@${home.url}` },
    });
    expect(shared.status).toBe(200);

    const pending = await ocs(`${home.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending`, 'GET', {
      auth: [HOME.name, HOME.password],
    });
    const item = (pending.body.ocs.data as { id: string; name: string }[]).find((s) => s.name === '/Trip');
    expect(item).toBeDefined();
    await ocs(`${home.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending/${item!.id}`, 'POST', {
      auth: [HOME.name, HOME.password],
    });
    const file = await call(`${home.url}/remote.php/dav/files/bob/Trip/day1.txt`, 'GET', {
      auth: [HOME.name, HOME.password],
    });
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('beach');

    // Read-only all the way: the receiver cannot write back through the bridge.
    const write = await call(`${home.url}/remote.php/dav/files/bob/Trip/day2.txt`, 'PUT', {
      auth: [HOME.name, HOME.password],
      body: 'x',
    });
    expect(write.status).toBe(403);
    const accepted = await ocs(`${home.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares`, 'GET', {
      auth: [HOME.name, HOME.password],
    });
    const secret = (accepted.body.ocs.data as { name: string; share_token: string }[]).find(
      (s) => s.name === '/Trip',
    )!.share_token;
    const direct = await call(`${bridge.url}/public.php/webdav/day2.txt`, 'PUT', { auth: [secret, ''], body: 'x' });
    expect(direct.status).toBe(403);
  });

  it('never turns a mount into a public link (that would re-publish someone else’s share)', async () => {
    const link = await ocs(`${sharer.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
      auth: [ALICE.name, ALICE.password],
      form: { path: '/Trip', shareType: '3', permissions: '1' },
    });
    const token = (link.body.ocs.data as { token: string }).token;
    await call(`${bridge.url}/index.php/apps/files_sharing/external`, 'POST', {
      auth: [BRIDGE.name, BRIDGE.password],
      form: { remote: sharer.url, token, owner: 'alice', ownerDisplayName: 'alice', name: 'Trip again', password: '' },
    });
    const republished = await ocs(`${bridge.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
      auth: [BRIDGE.name, BRIDGE.password],
      form: { path: '/Trip again', shareType: '3', permissions: '1' },
    });
    expect(republished.status).toBe(404);
  });
});
