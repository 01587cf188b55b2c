import type { App } from '../context';
import { dropRemoteShare } from '../federation/ocm-client';
import { mountRemoved } from '../shares/follow';
import type { RemoteShare } from '../store/types';
import { SubSpace } from './sub-space';
import { UserSpace } from './user-space';

/** A user's WebDAV space: own files plus mounted remote shares (which read through to their remotes). */
export function userSpaceOf(app: App, uid: string): UserSpace {
  return new UserSpace(app.tree(uid), uid, app.store, app.outbound, async (share) => {
    await dropRemoteShare(app, share);
    await mountRemoved(app, share);
  });
}

/** The accepted remote share mounted exactly at `path` (e.g. '/Trip') in the user's tree, if any. */
export async function mountAt(app: App, uid: string, path: string): Promise<RemoteShare | undefined> {
  return (await app.store.listRemoteShares(uid, true)).find((share) => share.mountpoint === path);
}

/**
 * What a bridged share shows: a mount of the owner, passed on over OCM, seen read-only through the owner's
 * space, so the receiver reads through to the original link.
 */
export function bridgedSpace(app: App, owner: string, segments: string[]): SubSpace {
  return new SubSpace(userSpaceOf(app, owner), segments);
}
