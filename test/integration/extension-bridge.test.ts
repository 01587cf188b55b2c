import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstanceClient } from '../../lib/instance/client';
import { runMount } from '../../lib/mount/run';
import { call, ocs } from './helpers/http';
import { startNode, type TestNode } from './helpers/node';

/**
 * The extension's bridge path (lib/mount/bridge.ts + runMount) against three real companion nodes: the sharer,
 * the user's bridge, and the user's home instance. Only the UI is left out: the same clients the background uses
 * talk to the real servers.
 */
let sharer: TestNode;
let bridge: TestNode;
let home: TestNode;
const ALICE = { name: 'alice', password: 'alicepass123' };
const BOB = { name: 'bob', password: 'bobpass123' };

async function appPassword(node: TestNode): Promise<string> {
  const { body } = await ocs(`${node.url}/ocs/v2.php/core/getapppassword`, 'GET', { auth: [BOB.name, BOB.password] });
  return (body.ocs.data as { apppassword: string }).apppassword;
}

beforeAll(async () => {
  [sharer, bridge, home] = await Promise.all([
    startNode({ users: [ALICE], files: { alice: { 'Trip/day1.txt': 'beach' } } }),
    startNode({ users: [BOB] }),
    startNode({ users: [BOB] }),
  ]);
});

afterAll(async () => {
  await Promise.all([sharer?.stop(), bridge?.stop(), home?.stop()]);
});

describe('adding a link through the user’s bridge', () => {
  it('mounts on the bridge, passes it on to the home instance, accepts and verifies — and does it only once', async () => {
    const link = await ocs(`${sharer.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
      auth: [ALICE.name, ALICE.password],
      form: { path: '/Trip', shareType: '3', permissions: '1' },
    });
    const token = (link.body.ocs.data as { token: string }).token;
    const instance = new InstanceClient({
      baseUrl: home.url,
      loginName: BOB.name,
      appPassword: await appPassword(home),
    });
    const bridgeApi = new InstanceClient({
      baseUrl: bridge.url,
      loginName: BOB.name,
      appPassword: await appPassword(bridge),
    });
    const request = {
      share: { remote: sharer.url, token, name: 'Trip', owner: 'alice', ownerDisplayName: 'Alice', isProtected: false },
      password: '',
      cloudId: `bob@${home.url}`,
      instanceBaseUrl: home.url,
      paths: [{ via: 'bridge' as const }],
    };
    const deps = {
      instance,
      createFederatedShare: async () => {},
      bridge: {
        api: bridgeApi,
        baseUrl: bridge.url,
        userId: BOB.name,
        displayName: BOB.name,
        cloudId: `bob@${bridge.url}`,
      },
    };

    expect(await runMount(request, deps)).toEqual({ result: 'mounted', path: '/Trip' });
    const file = await call(`${home.url}/remote.php/dav/files/bob/Trip/day1.txt`, 'GET', {
      auth: [BOB.name, BOB.password],
    });
    expect(await file.text()).toBe('beach');

    const again = await runMount(request, deps);
    expect(again.result).toBe('already-mounted');
    const shares = await instance.remoteShares();
    expect(shares.filter((s) => s.name === '/Trip')).toHaveLength(1);
  });
});
