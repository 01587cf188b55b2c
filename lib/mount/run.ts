import { InstanceError, problemFrom } from '@/lib/instance/errors';
import type { Problem, ServerRole } from '@/lib/problem';
import type { PublicLinkMount } from '@/lib/instance/client';
import type { RemoteShare } from '@/lib/instance/remote-shares';
import { mountPathOf, verify } from './arrival';
import { bridgedIdentity, viaBridge } from './bridge';
import { viaCreateFederatedShare } from './create-federated-share';
import { viaInstanceExternal } from './instance-external';
import { viaInstanceHandoff } from './instance-handoff';
import { findShare, type ShareIdentity } from './match';
import { linkMount, type MountDeps, type MountOutcome, type MountRequest, type Sleep } from './request';
import type { MountPath } from './strategy';

/**
 * Adds a public share to the user's instance: first checks it is not there already (idempotent), then tries
 * each planned path in order until one works, then verifies on the instance. Nothing here retries a path that
 * failed for a reason the user must fix (wrong password, revoked app password, a deleted link).
 * `checkedAbsent`: the preparation found no copy of this share moments ago, so the check is not repeated.
 */
export async function runMount(
  request: MountRequest,
  deps: MountDeps,
  options: { checkedAbsent?: boolean } = {},
): Promise<MountOutcome> {
  const named = withServerNames(request, deps);
  const sleep: Sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  try {
    if (!options.checkedAbsent) {
      const already = await existingCopy(request, named);
      if (already)
        return already.accepted
          ? { result: 'already-mounted', path: mountPathOf(already) }
          : acceptAndVerify(already, named, request.cloudId);
    }
    let lastError: unknown;
    for (const path of request.paths) {
      try {
        const outcome = await tryPath(path, request, named, sleep);
        if (outcome) return outcome;
      } catch (error) {
        if (!(error instanceof InstanceError)) throw error;
        // The user has to act on these; another path would fail the same way or hide the real cause.
        if (STOPS.has(problemOf(error, request).code)) return fail(error, request);
        lastError = error;
      }
    }
    return lastError ? fail(lastError, request) : { result: 'failed', problem: { code: 'no-path-worked' } };
  } catch (error) {
    if (error instanceof InstanceError) return fail(error, request);
    throw error;
  }
}

/** Problems no other path can get around. */
const STOPS = new Set<Problem['code']>([
  'instance-unauthorized',
  'bridge-unauthorized',
  'password-wrong',
  'password-needed',
  'link-gone',
]);

/**
 * Read-only: whether the instance has no copy of this share, mounted or pending (also none passed on through the
 * bridge). The preparation asks this while the confirmation is open; it changes nothing on any server.
 */
export async function hasNoCopy(request: MountRequest, deps: MountDeps): Promise<boolean> {
  return (await existingCopy(request, withServerNames(request, deps))) === undefined;
}

/**
 * Idempotency: the copy of this share the instance already holds — mounted, or arrived but never accepted (e.g. the
 * worker stopped mid-way last time) — also when it came through the bridge, under the bridge's name.
 */
async function existingCopy(request: MountRequest, deps: MountDeps): Promise<RemoteShare | undefined> {
  const found = await lookUp(request.share, deps);
  if (found) return found;
  if (!deps.bridge || !request.paths.some((p) => p.via === 'bridge')) return undefined;
  const bridged = await bridgedIdentity(deps.bridge, linkMount(request));
  return bridged && lookUp(bridged, deps);
}

async function lookUp(share: ShareIdentity, deps: MountDeps): Promise<RemoteShare | undefined> {
  return (
    findShare(await deps.instance.remoteShares(), share) ?? findShare(await deps.instance.pendingRemoteShares(), share)
  );
}

async function acceptAndVerify(waiting: RemoteShare, deps: MountDeps, instance: string): Promise<MountOutcome> {
  await deps.instance.acceptRemoteShare(waiting.id);
  const accepted = (await deps.instance.remoteShares()).find(
    (s) => s.id === waiting.id || (s.remote === waiting.remote && s.name === waiting.name),
  );
  return verify(accepted ?? waiting, deps, instance);
}

/** An error that escaped the tagging below was the instance's (e.g. thrown by a test double). */
const problemOf = (error: unknown, request: MountRequest): Problem => problemFrom(error, 'instance', request.cloudId);

function fail(error: unknown, request: MountRequest): MountOutcome {
  return { result: 'failed', problem: problemOf(error, request) };
}

/** Every server call, wrapped so that its failures name the server they happened on. */
function withServerNames(request: MountRequest, deps: MountDeps): MountDeps {
  const instance = request.cloudId;
  const sharer = request.share.remote;
  const on =
    <A extends unknown[], R>(role: ServerRole, server: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        throw named(error, role, server);
      }
    };
  const api = deps.instance;
  const bridge = deps.bridge;
  return {
    ...deps,
    instance: {
      remoteShares: on('instance', instance, () => api.remoteShares()),
      pendingRemoteShares: on('instance', instance, () => api.pendingRemoteShares()),
      acceptRemoteShare: on('instance', instance, (id: string) => api.acceptRemoteShare(id)),
      mountPublicLink: on('instance', instance, (mount: PublicLinkMount) => api.mountPublicLink(mount)),
      pathExists: on('instance', instance, (path: string) => api.pathExists(path)),
    },
    createFederatedShare: on('sharer', sharer, (cloudId: string, password: string) =>
      deps.createFederatedShare(cloudId, password),
    ),
    ...(deps.mountWithSession && { mountWithSession: on('instance', instance, deps.mountWithSession) }),
    ...(bridge && {
      bridge: {
        ...bridge,
        api: {
          remoteShares: on('bridge', bridge.cloudId, () => bridge.api.remoteShares()),
          mountPublicLink: on('bridge', bridge.cloudId, (mount: PublicLinkMount) => bridge.api.mountPublicLink(mount)),
          shareWithCloudId: on('bridge', bridge.cloudId, (path: string, cloudId: string) =>
            bridge.api.shareWithCloudId(path, cloudId),
          ),
        },
      },
    }),
  };
}

/** The same error, with its problem naming the server (an error that already has a problem keeps it). */
function named(error: unknown, role: ServerRole, server: string): unknown {
  if (!(error instanceof InstanceError) || error.problem) return error;
  return new InstanceError(error.code, error.message, error.status, {
    problem: problemFrom(error, role, server),
    failure: error.failure,
  });
}

/** One path, by its `via`; undefined when this add has nothing wired for it (no session, no bridge). */
function tryPath(
  path: MountPath,
  request: MountRequest,
  deps: MountDeps,
  sleep: Sleep,
): Promise<MountOutcome | undefined> {
  switch (path.via) {
    case 'create-federated-share':
      return viaCreateFederatedShare(request, deps, sleep);
    case 'instance-external':
      return viaInstanceExternal(path.auth, request, deps);
    case 'instance-handoff':
      return viaInstanceHandoff(request, deps);
    case 'bridge':
      return viaBridge(request, deps, sleep);
  }
}
