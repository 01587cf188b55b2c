import { failWith } from '@/lib/instance/errors';
import type { RemoteShare } from '@/lib/instance/remote-shares';
import { ARRIVAL_INTERVAL_MS, ARRIVAL_POLLS } from '@/lib/timeouts';
import { findShare, type ShareIdentity } from './match';
import type { MountDeps, MountOutcome, Sleep } from './request';

/** Where a remote share shows in the user's files (`{{TemporaryMountPointName#…}}` until it was accepted). */
export const mountPathOf = (share: RemoteShare) =>
  (share.mountpoint.startsWith('{{') ? share.name : share.mountpoint) || share.name;

/** Federated shares arrive pending (accept them) or, between trusted servers, already accepted. */
export async function waitForArrival(
  share: ShareIdentity,
  deps: MountDeps,
  sleep: Sleep,
): Promise<RemoteShare | undefined> {
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

/** The share is there only once the instance shows its folder: a listed share may still fail to open. */
export async function verify(share: RemoteShare, deps: MountDeps, instance: string): Promise<MountOutcome> {
  const path = mountPathOf(share);
  if (!(await deps.instance.pathExists(path)))
    throw failWith('bad-response', { code: 'share-not-visible', server: instance, path });
  return { result: 'mounted', path };
}
