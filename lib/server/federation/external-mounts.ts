import type { App } from '../context';
import type { ExternalShare } from '../store/types';
import { HttpError } from '../http/errors';
import { MountpointTakenError } from '../store/errors';
import { RemoteError } from './fetch';
import { discoverOcm } from './ocm-client';
import { deliverQueued, queueNotification, sendNotification } from './notification-outbox';
import { probeRemote } from './probe';
import { credentialsOf, remotePropfind } from './remote-dav';

// Mounting external shares (shares other servers own) into a user's tree: names, free mount points, accepting OCM
// user shares, and removing them.

export const INVALID_NAME = 'The mountpoint name contains invalid characters.';

/** How often a mount picks a free name again after another request took it (each retry sees the winner's row). */
const MOUNT_ATTEMPTS = 5;

/** A mount name is one path segment: no slashes, no NUL, not "." / "..", not empty. */
export function validMountName(name: string): boolean {
  const trimmed = name.trim();
  return (
    trimmed !== '' &&
    trimmed !== '.' &&
    trimmed !== '..' &&
    !/[/\\\0]/.test(trimmed) &&
    Buffer.byteLength(trimmed) <= 255
  );
}

/** "Name", or "Name (2)", "Name (3)"… when a file, folder or other mount already uses it. */
async function freeMountpoint(app: App, uid: string, name: string): Promise<string> {
  const taken = new Set((await app.store.listExternalShares(uid, true)).map((s) => s.mountpoint));
  const tree = app.tree(uid);
  await tree.ensure();
  const ext = /^(.+?)(\.[^.]+)?$/.exec(name);
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? name : `${ext?.[1] ?? name} (${n})${ext?.[2] ?? ''}`;
    if (!taken.has(`/${candidate}`) && !(await tree.stat([candidate]))) return `/${candidate}`;
  }
  throw new Error('no free mount point');
}

/**
 * Writes a mount at a free mount point. Two requests (two nodes of a cluster, or concurrent accepts on one) can find
 * the same name free; the store's unique index lets only one write it, and the other picks again.
 */
export async function mountAtFreeMountpoint<T>(
  app: App,
  uid: string,
  name: string,
  write: (mountpoint: string) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write(await freeMountpoint(app, uid, name));
    } catch (error) {
      if (!(error instanceof MountpointTakenError) || attempt === MOUNT_ATTEMPTS) throw error;
    }
  }
}

/** Accepts a pending OCM share: find the owner's WebDAV, learn file vs folder, mount, tell the owner. */
export async function acceptPendingShare(app: App, share: ExternalShare): Promise<ExternalShare> {
  let itemType: 'file' | 'folder' = 'folder';
  let davUrl = share.davUrl;
  try {
    // The peer's OCM discovery names its WebDAV for shared secrets; ownCloud-style probing is the fallback.
    davUrl =
      (await discoverOcm(app, share.remote).catch(() => undefined))?.webdavUrl ??
      (await probeRemote(app, share.remote)).davUrl;
    const { status, entries } = await remotePropfind(app.outbound, { ...credentialsOf(share), davUrl }, [], 0);
    if (status === 207 && entries[0] && !entries[0].isDir) itemType = 'file';
  } catch (error) {
    // The owner may be down right now; the share is still accepted and reads fail until it is back.
    if (!(error instanceof RemoteError)) throw error;
  }
  // Only the request that moved the share out of pending mounts it and tells the owner; a concurrent accept of the
  // same share (a double click, a retry, another node of a cluster) finds it gone, as ownCloud answers then.
  // The owner's SHARE_ACCEPTED is queued in the same transaction as the accept: once the share is accepted here, the
  // notification is in the database, whatever happens to this node or the owner's server next. The accept is the one
  // notification the owner cannot do without (the share stays "pending" on its side for good).
  const queued = queueNotification({
    remote: share.remote,
    type: 'SHARE_ACCEPTED',
    providerId: share.remoteId,
    sharedSecret: share.shareToken,
    message: 'Recipient accepted the share',
  });
  const mountpoint = await mountAtFreeMountpoint(app, share.uid, share.name, async (free) => {
    if (!(await app.store.acceptExternalShare(share.id, free, itemType, queued)))
      throw new HttpError(404, "wrong share ID, share doesn't exist.");
    return free;
  });
  if (davUrl !== share.davUrl) await app.store.setExternalShareDavUrl(share.id, davUrl);
  await deliverQueued(app, queued.notification);
  return { ...share, accepted: true, mountpoint, itemType, davUrl };
}

/** Removes a mount or received share; for an OCM user share the owner is told we declined it. */
export async function dropExternalShare(app: App, share: ExternalShare): Promise<void> {
  await app.store.deleteExternalShare(share.id);
  // Queued right after the delete, not in one transaction with it: a node dying in between loses the decline, and the
  // owner then lists a share nobody mounts, which is harmless (unlike a lost accept).
  if (share.kind === 'user')
    await sendNotification(app, {
      remote: share.remote,
      type: 'SHARE_DECLINED',
      providerId: share.remoteId,
      sharedSecret: share.shareToken,
      message: 'Recipient declined the share',
    });
}
