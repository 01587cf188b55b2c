import { InstanceError } from '@/lib/instance/errors';
import type { PublicLinkMount } from '@/lib/instance/client';
import type { RemoteShare } from '@/lib/instance/remote-shares';
import { bridgedIdentity, mountPathOf, passThroughBridge, type BridgeAccount } from './bridge';
import { findShare, type ShareIdentity } from './match';
import type { MountPath } from './strategy';

/** The instance calls a mount needs; InstanceClient provides them (an interface so tests can use fakes). */
export interface InstanceApi {
  remoteShares(): Promise<RemoteShare[]>;
  pendingRemoteShares(): Promise<RemoteShare[]>;
  acceptRemoteShare(id: string): Promise<void>;
  mountPublicLink(mount: PublicLinkMount): Promise<void>;
  pathExists(path: string): Promise<boolean>;
}

export interface MountDeps {
  instance: InstanceApi;
  /** Asks the sharer to push a federated share to `cloudId` (done same-origin from the share tab). */
  createFederatedShare(cloudId: string, password: string): Promise<void>;
  /** ownCloud 10: `external` with the request token of the user's logged-in session. */
  mountWithSession?(mount: PublicLinkMount): Promise<void>;
  /** ownCloud 10: open the instance's own confirmation page. */
  handOff?(url: string): Promise<void>;
  /** A companion the user set up as a bridge, for pairs that cannot federate directly. */
  bridge?: BridgeAccount;
  sleep?: (ms: number) => Promise<void>;
}

export interface MountRequest {
  share: ShareIdentity & { isProtected: boolean };
  password: string;
  cloudId: string;
  instanceBaseUrl: string;
  paths: MountPath[];
}

export type MountOutcome =
  | { result: 'mounted'; path: string }
  | { result: 'already-mounted'; path: string }
  | { result: 'handed-off' }
  | { result: 'failed'; message: string; code?: InstanceError['code'] };

/** How long to wait for a federated share to arrive at the instance after the sharer sent it. */
const ARRIVAL_POLLS = 10;
const ARRIVAL_INTERVAL_MS = 500;

/** The ownCloud 10 hand-off URL, exactly as ownCloud's own "Add to" button builds it (protocol.md §2.1). */
export function handOffUrl(instanceBaseUrl: string, share: MountRequest['share']): string {
  const params = [
    ['remote', share.remote],
    ['token', share.token],
    ['owner', share.owner ?? ''],
    ['ownerDisplayName', share.ownerDisplayName ?? share.owner ?? ''],
    ['name', share.name ?? ''],
    ['protected', share.isProtected ? '1' : '0'],
  ];
  return `${instanceBaseUrl}/index.php/apps/files#${params.map(([k, v]) => `${k}=${encodeURIComponent(v!)}`).join('&')}`;
}

/**
 * Adds a public share to the user's instance: first checks it is not there already (idempotent), then tries
 * each planned path in order until one works, then verifies on the instance. Nothing here retries a path that
 * failed for a reason the user must fix (wrong password, revoked app password).
 */
export async function runMount(request: MountRequest, deps: MountDeps): Promise<MountOutcome> {
  const { share } = request;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  try {
    const already = await alreadyThere(share, deps);
    if (already) return already;
    // Added earlier through the bridge: the share then comes from the bridge, under the bridge's name.
    const bridged = request.paths.some((p) => p.via === 'bridge') && deps.bridge ? await bridgedIdentity(deps.bridge, linkMount(request)) : undefined;
    const alreadyBridged = bridged && (await alreadyThere(bridged, deps));
    if (alreadyBridged) return alreadyBridged;

    let lastError: InstanceError | undefined;
    for (const path of request.paths) {
      try {
        const outcome = await tryPath(path, request, deps, sleep);
        if (outcome) return outcome;
      } catch (error) {
        if (!(error instanceof InstanceError)) throw error;
        // The user has to act on these; another path would fail the same way or hide the real cause.
        if (error.code === 'unauthorized' || /password/i.test(error.message)) return fail(error);
        lastError = error;
      }
    }
    return lastError ? fail(lastError) : { result: 'failed', message: 'None of the ways to add this share worked.' };
  } catch (error) {
    if (error instanceof InstanceError) return fail(error);
    throw error;
  }
}

/**
 * Idempotency: a share already mounted is reported; one that arrived but was never accepted (e.g. the worker
 * stopped mid-way last time) is accepted instead of asking the sharer for a second one.
 */
async function alreadyThere(share: ShareIdentity, deps: MountDeps): Promise<MountOutcome | undefined> {
  const existing = findShare(await deps.instance.remoteShares(), share);
  if (existing) return { result: 'already-mounted', path: mountPathOf(existing) };
  const waiting = findShare(await deps.instance.pendingRemoteShares(), share);
  if (!waiting) return undefined;
  await deps.instance.acceptRemoteShare(waiting.id);
  return verify(findShare(await deps.instance.remoteShares(), share) ?? waiting, deps);
}

function linkMount({ share, password }: MountRequest): PublicLinkMount {
  return {
    remote: share.remote,
    token: share.token,
    owner: share.owner ?? '',
    ownerDisplayName: share.ownerDisplayName ?? share.owner ?? '',
    name: share.name ?? '',
    password,
  };
}

function fail(error: InstanceError): MountOutcome {
  return { result: 'failed', message: error.message, code: error.code };
}

async function tryPath(path: MountPath, request: MountRequest, deps: MountDeps, sleep: (ms: number) => Promise<void>): Promise<MountOutcome | undefined> {
  const { share } = request;
  const mount = linkMount(request);
  switch (path.via) {
    case 'create-federated-share': {
      await deps.createFederatedShare(request.cloudId, request.password);
      const arrived = await waitForArrival(share, deps, sleep);
      if (!arrived) throw new InstanceError('timeout', 'The sharer sent the share, but it has not arrived on your cloud yet. Check your notifications.');
      return verify(arrived, deps);
    }
    case 'instance-external': {
      if (path.auth === 'session-request-token') {
        if (!deps.mountWithSession) return undefined;
        await deps.mountWithSession(mount);
      } else {
        await deps.instance.mountPublicLink(mount);
      }
      const mounted = findShare(await deps.instance.remoteShares(), share);
      if (!mounted) throw new InstanceError('bad-response', 'Your cloud said the share was added, but it is not among your shares.');
      return verify(mounted, deps);
    }
    case 'instance-handoff': {
      if (!deps.handOff) return undefined;
      await deps.handOff(handOffUrl(request.instanceBaseUrl, share));
      return { result: 'handed-off' };
    }
    case 'bridge': {
      if (!deps.bridge) return undefined;
      const passedOn = await passThroughBridge(deps.bridge, mount, request.cloudId);
      const arrived = await waitForArrival(passedOn, deps, sleep);
      if (!arrived) throw new InstanceError('timeout', 'The bridge sent the share, but it has not arrived on your cloud yet. Check your notifications.');
      return verify(arrived, deps);
    }
  }
}

/** Federated shares arrive pending (accept them) or, between trusted servers, already accepted. */
async function waitForArrival(share: ShareIdentity, deps: MountDeps, sleep: (ms: number) => Promise<void>): Promise<RemoteShare | undefined> {
  for (let i = 0; i < ARRIVAL_POLLS; i++) {
    const pending = findShare(await deps.instance.pendingRemoteShares(), share);
    if (pending) {
      await deps.instance.acceptRemoteShare(pending.id);
      return findShare(await deps.instance.remoteShares(), share) ?? pending;
    }
    const accepted = findShare(await deps.instance.remoteShares(), share);
    if (accepted) return accepted;
    await sleep(ARRIVAL_INTERVAL_MS);
  }
  return undefined;
}

async function verify(share: RemoteShare, deps: MountDeps): Promise<MountOutcome> {
  const path = mountPathOf(share);
  if (!(await deps.instance.pathExists(path))) {
    throw new InstanceError('bad-response', 'The share was added but does not show up in your files yet.');
  }
  return { result: 'mounted', path };
}
