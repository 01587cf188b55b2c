import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { App } from '../context';
import { plainSegments } from '../files/paths';
import type { Share } from '../store/types';

// Which item a share is bound to. A share stores its item's key next to its path: the path is kept current by
// shares/follow.ts on every move, and the key proves that what is at the path now is still the item that was shared.
// A folder renamed away and a new one created under the old name is a different item, so the old link never serves it.
//
// The key of a local file or folder is its file id (the inode, which survives renames and is what PROPFIND serves as
// oc:fileid) plus its creation time, because the file system hands a freed inode number to the next new file at once.
// A mounted remote share (passed on by the bridge) is keyed by its mount's id.

/** The key of a local file or folder from its stats (also used by backup.ts to re-bind shares after a restore). */
export const fileItemKey = (stats: Pick<Stats, 'ino' | 'birthtimeMs'>): string =>
  `file:${stats.ino}:${stats.birthtimeMs}`;

export async function itemKeyAt(app: App, owner: string, path: string): Promise<string | undefined> {
  const mount = (await app.store.listExternalShares(owner, true)).find((share) => share.mountpoint === path);
  if (mount) return `mount:${mount.id}`;
  try {
    const stats = await stat(await app.tree(owner).locate(plainSegments(path)));
    return fileItemKey(stats);
  } catch {
    return undefined;
  }
}

/**
 * True while the share's item is still at its path. A share from before binding existed (itemKey null) is bound to
 * what is there on first use, which is what it served until then.
 */
export async function itemStillThere(app: App, share: Share): Promise<boolean> {
  const key = await itemKeyAt(app, share.owner, share.path);
  if (key === undefined) return false;
  if (share.itemKey === null) {
    await app.store.updateShare(share.id, { itemKey: key });
    return true;
  }
  return key === share.itemKey;
}
