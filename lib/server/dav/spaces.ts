import type { App } from '../context';
import { dropExternalShare } from '../federation/external-mounts';
import { externalShareRemoved } from '../shares/follow';
import type { ExternalShare } from '../store/types';
import { SubSpace } from './sub-space';
import { UserSpace } from './user-space';

/** A user's WebDAV space: own files plus mounted external shares (which read through to their remotes). */
export function userSpaceOf(app: App, uid: string): UserSpace {
  return new UserSpace(app.tree(uid), uid, app.store, app.outbound, async (share) => {
    await dropExternalShare(app, share);
    await externalShareRemoved(app, share);
  });
}

/** The accepted external share mounted exactly at `path` (e.g. '/Trip') in the user's tree, if any. */
export async function externalShareAt(app: App, uid: string, path: string): Promise<ExternalShare | undefined> {
  return (await app.store.listExternalShares(uid, true)).find((share) => share.mountpoint === path);
}

/**
 * What a bridged share shows: a mount of the owner, passed on over OCM, seen read-only through the owner's
 * space, so the receiver reads through to the original link.
 */
export function bridgedSpace(app: App, owner: string, segments: string[]): SubSpace {
  return new SubSpace(userSpaceOf(app, owner), segments);
}
