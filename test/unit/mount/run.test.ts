import { describe, expect, it, vi } from 'vitest';
import type { PublicLinkMount } from '@/lib/instance/client';
import { externalRefusal } from '@/lib/instance/external-answer';
import { InstanceError } from '@/lib/instance/errors';
import type { RemoteShare } from '@/lib/instance/remote-shares';
import { findShare } from '@/lib/mount/match';
import { handOffUrl } from '@/lib/mount/instance-handoff';
import type { InstanceApi, MountRequest } from '@/lib/mount/request';
import { hasNoCopy, runMount } from '@/lib/mount/run';

/** An instance in memory that behaves like the real endpoints: mounts appear in remote_shares and in WebDAV. */
class FakeInstance implements InstanceApi {
  accepted: RemoteShare[] = [];
  pending: RemoteShare[] = [];
  mountCalls = 0;
  failMountWith?: InstanceError;
  async remoteShares() {
    return this.accepted;
  }
  async pendingRemoteShares() {
    return this.pending;
  }
  async acceptRemoteShare(id: string) {
    const share = this.pending.find((s) => s.id === id);
    if (!share) throw new InstanceError('not-found');
    this.pending = this.pending.filter((s) => s !== share);
    this.accepted.push({ ...share, accepted: true, mountpoint: share.name });
  }
  async mountPublicLink(mount: PublicLinkMount) {
    this.mountCalls++;
    if (this.failMountWith) throw this.failMountWith;
    this.accepted.push({
      id: String(this.accepted.length + 1),
      remote: mount.remote,
      name: `/${mount.name}`,
      owner: mount.ownerDisplayName,
      mountpoint: `/${mount.name}`,
      accepted: true,
      shareToken: mount.token,
    });
  }
  async pathExists(path: string) {
    return this.accepted.some((s) => s.mountpoint === path);
  }
  /** What a sharer's createFederatedShare causes: a pending share with a NEW token. */
  receiveFederated(remote: string, name: string, owner: string) {
    this.pending.push({
      id: '77',
      remote,
      name: `/${name}`,
      owner,
      mountpoint: `{{TemporaryMountPointName#/${name}}}`,
      accepted: false,
      shareToken: 'fresh-token',
    });
  }
}

const request = (over: Partial<MountRequest> = {}): MountRequest => ({
  share: {
    remote: 'https://alice.example',
    token: 'LinkToken123',
    name: 'Photos',
    owner: 'alice',
    ownerDisplayName: 'Alice',
    isProtected: false,
  },
  password: '',
  cloudId: 'bob@bob.example',
  instanceBaseUrl: 'https://bob.example',
  paths: [{ via: 'instance-external', auth: 'app-password' }],
  ...over,
});

const noSleep = async () => {};

describe('runMount', () => {
  it('mounts through the instance’s external endpoint and verifies the mount in the user’s files', async () => {
    const instance = new FakeInstance();
    const outcome = await runMount(request(), { instance, createFederatedShare: vi.fn(), sleep: noSleep });
    expect(outcome).toEqual({ result: 'mounted', path: '/Photos' });
    expect(instance.mountCalls).toBe(1);
  });

  it('is idempotent: a share already there is reported, not mounted twice', async () => {
    const instance = new FakeInstance();
    await runMount(request(), { instance, createFederatedShare: vi.fn(), sleep: noSleep });
    const again = await runMount(request(), { instance, createFederatedShare: vi.fn(), sleep: noSleep });
    expect(again).toEqual({ result: 'already-mounted', path: '/Photos' });
    expect(instance.mountCalls).toBe(1);
  });

  it('asks the sharer for a federated share, then accepts it when it arrives', async () => {
    const instance = new FakeInstance();
    const createFederatedShare = vi.fn(async (cloudId: string) => {
      expect(cloudId).toBe('bob@bob.example');
      setTimeout(() => instance.receiveFederated('https://alice.example/', 'Photos', 'alice'), 0);
    });
    const outcome = await runMount(request({ paths: [{ via: 'create-federated-share' }] }), {
      instance,
      createFederatedShare,
      sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))),
    });
    expect(outcome).toEqual({ result: 'mounted', path: '/Photos' });
    expect(instance.pending).toHaveLength(0);
    expect(findShare(instance.accepted, request().share)?.shareToken).toBe('fresh-token');
  });

  it('finishes a half-done add (share arrived, never accepted) without asking the sharer again', async () => {
    const instance = new FakeInstance();
    instance.receiveFederated('https://alice.example', 'Photos', 'alice');
    const createFederatedShare = vi.fn();
    const outcome = await runMount(request({ paths: [{ via: 'create-federated-share' }] }), {
      instance,
      createFederatedShare,
      sleep: noSleep,
    });
    expect(outcome).toEqual({ result: 'mounted', path: '/Photos' });
    expect(createFederatedShare).not.toHaveBeenCalled();
  });

  it('recognises a federated share by sharer and name when the page did not show the owner (password page)', () => {
    const arrived = {
      id: '1',
      remote: 'https://alice.example',
      name: '/Photos',
      owner: 'alice',
      mountpoint: '/Photos',
      accepted: true,
      shareToken: 'fresh',
    };
    expect(findShare([arrived], { remote: 'https://alice.example/', token: 'Link', name: 'Photos' })).toBe(arrived);
    expect(
      findShare([arrived], { remote: 'https://alice.example', token: 'Link', name: 'Photos', owner: 'mallory' }),
    ).toBeUndefined();
    expect(findShare([arrived], { remote: 'https://evil.example', token: 'Link', name: 'Photos' })).toBeUndefined();
  });

  it('says so when the federated share never arrives', async () => {
    const instance = new FakeInstance();
    const outcome = await runMount(request({ paths: [{ via: 'create-federated-share' }] }), {
      instance,
      createFederatedShare: vi.fn(),
      sleep: noSleep,
    });
    expect(outcome).toEqual({
      result: 'failed',
      problem: { code: 'share-not-arrived', server: 'bob@bob.example', from: 'sharer' },
    });
  });

  it('falls back to the next path when one fails, and stops at a wrong password', async () => {
    const instance = new FakeInstance();
    const createFederatedShare = vi.fn(async () => {
      throw new InstanceError('rejected', undefined, 400, {
        problem: { code: 'sharer-cannot-federate', server: 'https://alice.example' },
      });
    });
    const outcome = await runMount(
      request({ paths: [{ via: 'create-federated-share' }, { via: 'instance-external', auth: 'app-password' }] }),
      {
        instance,
        createFederatedShare,
        sleep: noSleep,
      },
    );
    expect(outcome).toEqual({ result: 'mounted', path: '/Photos' });

    const wrong = new FakeInstance();
    wrong.failMountWith = externalRefusal(
      { message: 'Could not authenticate to federated share, password might be wrong' },
      'https://alice.example',
    );
    const handOff = vi.fn();
    const refused = await runMount(
      request({ paths: [{ via: 'instance-external', auth: 'app-password' }, { via: 'instance-handoff' }] }),
      { instance: wrong, createFederatedShare: vi.fn(), handOff, sleep: noSleep },
    );
    expect(refused).toEqual({ result: 'failed', problem: { code: 'password-wrong' } });
    expect(handOff).not.toHaveBeenCalled();
  });

  it('reports a revoked app password at once, as such', async () => {
    const instance = new FakeInstance();
    instance.remoteShares = async () => {
      throw new InstanceError('unauthorized');
    };
    const outcome = await runMount(request(), { instance, createFederatedShare: vi.fn(), sleep: noSleep });
    expect(outcome).toEqual({
      result: 'failed',
      problem: { code: 'instance-unauthorized', server: 'bob@bob.example' },
    });
  });

  it('hands off to ownCloud’s own confirmation when there is no session to mount with', async () => {
    const instance = new FakeInstance();
    const handOff = vi.fn(async () => {});
    const outcome = await runMount(
      request({ paths: [{ via: 'instance-external', auth: 'session-request-token' }, { via: 'instance-handoff' }] }),
      { instance, createFederatedShare: vi.fn(), handOff, sleep: noSleep },
    );
    expect(outcome).toEqual({ result: 'handed-off' });
    expect(handOff).toHaveBeenCalledWith(
      'https://bob.example/index.php/apps/files#remote=https%3A%2F%2Falice.example&token=LinkToken123&owner=alice&ownerDisplayName=Alice&name=Photos&protected=0',
    );
  });

  it('builds the hand-off URL like ownCloud’s button, flagging protected shares', () => {
    const url = handOffUrl('https://oc.example/owncloud', { ...request().share, name: 'a&b #1', isProtected: true });
    expect(url).toBe(
      'https://oc.example/owncloud/index.php/apps/files#remote=https%3A%2F%2Falice.example&token=LinkToken123&owner=alice&ownerDisplayName=Alice&name=a%26b%20%231&protected=1',
    );
  });
});

describe('runMount through a bridge', () => {
  /**
   * A bridge whose mounts are kept like the instance's; passing on delivers a pending share to the home instance,
   * listed under `listedOwner` (ownCloud and the companion: the uid; Nextcloud: the display name the bridge sent).
   */
  function bridgeTo(home: FakeInstance, listedOwner = 'carol') {
    const bridge = new FakeInstance();
    const shareWithCloudId = vi.fn(async (path: string) =>
      home.receiveFederated('https://bridge.example', path.replace(/^\//, ''), listedOwner),
    );
    const account = {
      api: Object.assign(bridge, { shareWithCloudId }),
      baseUrl: 'https://bridge.example',
      userId: 'carol',
      displayName: 'Carol',
      cloudId: 'carol@bridge.example',
    };
    return { bridge, account, shareWithCloudId };
  }

  it('mounts the link on the bridge and accepts what the bridge passes on', async () => {
    const home = new FakeInstance();
    const { bridge, account, shareWithCloudId } = bridgeTo(home);
    const outcome = await runMount(request({ paths: [{ via: 'bridge' }] }), {
      instance: home,
      createFederatedShare: vi.fn(),
      bridge: account,
      sleep: noSleep,
    });
    expect(outcome).toEqual({ result: 'mounted', path: '/Photos' });
    expect(bridge.mountCalls).toBe(1);
    expect(shareWithCloudId).toHaveBeenCalledWith('/Photos', 'bob@bob.example');
  });

  it.each([
    ['the display name (Nextcloud lists the sender’s ownerDisplayName)', 'Carol'],
    ['the cloud id (Nextcloud, when no display name was sent)', 'carol@bridge.example'],
  ])('recognises the passed-on share when the instance lists its owner as %s', async (_what, listedOwner) => {
    const home = new FakeInstance();
    const { account } = bridgeTo(home, listedOwner);
    const outcome = await runMount(request({ paths: [{ via: 'bridge' }] }), {
      instance: home,
      createFederatedShare: vi.fn(),
      bridge: account,
      sleep: noSleep,
    });
    expect(outcome).toEqual({ result: 'mounted', path: '/Photos' });
  });

  it('reports the bridge’s refusal (e.g. a wrong link password) as it is', async () => {
    const home = new FakeInstance();
    const { bridge, account } = bridgeTo(home);
    bridge.failMountWith = externalRefusal(
      { message: 'Could not authenticate to federated share, password might be wrong' },
      'https://alice.example',
    );
    const outcome = await runMount(request({ paths: [{ via: 'bridge' }] }), {
      instance: home,
      createFederatedShare: vi.fn(),
      bridge: account,
      sleep: noSleep,
    });
    expect(outcome).toEqual({ result: 'failed', problem: { code: 'password-wrong' } });
  });

  it('skips the bridge path when no bridge is set up', async () => {
    const outcome = await runMount(request({ paths: [{ via: 'bridge' }] }), {
      instance: new FakeInstance(),
      createFederatedShare: vi.fn(),
      sleep: noSleep,
    });
    expect(outcome).toEqual({ result: 'failed', problem: { code: 'no-path-worked' } });
  });
});

describe('runMount: every failure names the server it happened on', () => {
  it('the user’s cloud, by cloud id', async () => {
    const instance = new FakeInstance();
    instance.remoteShares = async () => {
      throw new InstanceError('unreachable');
    };
    expect(await runMount(request(), { instance, createFederatedShare: vi.fn(), sleep: noSleep })).toEqual({
      result: 'failed',
      problem: { code: 'instance-unreachable', server: 'bob@bob.example' },
    });
  });

  it('the sharer’s server, by its address', async () => {
    const createFederatedShare = vi.fn(async () => {
      throw new InstanceError('server-error', undefined, 502);
    });
    const outcome = await runMount(request({ paths: [{ via: 'create-federated-share' }] }), {
      instance: new FakeInstance(),
      createFederatedShare,
      sleep: noSleep,
    });
    expect(outcome).toEqual({
      result: 'failed',
      problem: { code: 'sharer-server-error', server: 'https://alice.example', status: 502 },
    });
  });

  it('the bridge, by its cloud id', async () => {
    const home = new FakeInstance();
    const bridge = new FakeInstance();
    bridge.remoteShares = async () => {
      throw new InstanceError('timeout');
    };
    const account = {
      api: Object.assign(bridge, { shareWithCloudId: vi.fn() }),
      baseUrl: 'https://bridge.example',
      userId: 'carol',
      displayName: 'Carol',
      cloudId: 'carol@bridge.example',
    };
    const outcome = await runMount(request({ paths: [{ via: 'bridge' }] }), {
      instance: home,
      createFederatedShare: vi.fn(),
      bridge: account,
      sleep: noSleep,
    });
    expect(outcome).toEqual({ result: 'failed', problem: { code: 'bridge-timeout', server: 'carol@bridge.example' } });
  });

  it('a mount that does not show up in the files names the path and the cloud', async () => {
    const instance = new FakeInstance();
    instance.pathExists = async () => false;
    expect(await runMount(request(), { instance, createFederatedShare: vi.fn(), sleep: noSleep })).toEqual({
      result: 'failed',
      problem: { code: 'share-not-visible', server: 'bob@bob.example', path: '/Photos' },
    });
  });
});

describe('runMount after the preparation (what runs before "Add", what after)', () => {
  /** Counts the instance calls, as the servers would see them. */
  function counted(instance: FakeInstance) {
    const calls: string[] = [];
    const api: InstanceApi = {
      remoteShares: () => (calls.push('remote_shares'), instance.remoteShares()),
      pendingRemoteShares: () => (calls.push('remote_shares/pending'), instance.pendingRemoteShares()),
      acceptRemoteShare: (id) => (calls.push('accept'), instance.acceptRemoteShare(id)),
      mountPublicLink: (mount) => (calls.push('external'), instance.mountPublicLink(mount)),
      pathExists: (path) => (calls.push('PROPFIND'), instance.pathExists(path)),
    };
    return { api, calls };
  }

  it('the check for an existing copy is read-only, and after it the add only mounts and verifies', async () => {
    const instance = new FakeInstance();
    const before = counted(instance);
    // While the confirmation is open: two reads, no change on the instance.
    expect(await hasNoCopy(request(), { instance: before.api, createFederatedShare: vi.fn() })).toBe(true);
    expect(before.calls).toEqual(['remote_shares', 'remote_shares/pending']);
    expect(instance.accepted).toHaveLength(0);

    // After "Add": the mount, finding it, and the PROPFIND; the existence check is not repeated.
    const after = counted(instance);
    const outcome = await runMount(
      request(),
      { instance: after.api, createFederatedShare: vi.fn(), sleep: noSleep },
      { checkedAbsent: true },
    );
    expect(outcome).toEqual({ result: 'mounted', path: '/Photos' });
    expect(after.calls).toEqual(['external', 'remote_shares', 'PROPFIND']);
  });

  it('finds a copy that is there or pending without accepting it before the click', async () => {
    const instance = new FakeInstance();
    instance.receiveFederated('https://alice.example', 'Photos', 'alice');
    expect(await hasNoCopy(request(), { instance, createFederatedShare: vi.fn() })).toBe(false);
    expect(instance.pending).toHaveLength(1);
    expect(instance.accepted).toHaveLength(0);
  });

  it('without a preparation, checks first (idempotent, as before)', async () => {
    const instance = new FakeInstance();
    const { api, calls } = counted(instance);
    await runMount(request(), { instance: api, createFederatedShare: vi.fn(), sleep: noSleep });
    expect(calls).toEqual(['remote_shares', 'remote_shares/pending', 'external', 'remote_shares', 'PROPFIND']);
  });
});
