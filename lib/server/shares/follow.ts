import type { App } from '../context';
import type { TreeObserver } from '../files/tree';
import { toPlainPath } from '../files/paths';
import { unshareUserShare } from '../federation/send';
import type { ExternalShare, Share } from '../store/types';
import { itemKeyAt } from './items';

// Shares follow their items through every change made to a user's tree, whichever route makes it (WebDAV on
// /remote.php, public WebDAV of upload links, …): a move carries the shares of the item and of everything below it
// along, a delete removes them (as ownCloud does), and an upload over a shared file keeps its shares on the new file.

/** Receivers of removed federated shares told at the same time (the rest wait their turn, not in the outbox). */
const NOTIFICATIONS_AT_ONCE = 8;

/**
 * Deletes shares and the shares made from them (links passed on with createFederatedShare). Receivers of federated
 * shares are told (SHARE_UNSHARED); the returned promise settles when they have been, callers may not wait.
 */
export async function retireShares(app: App, shares: readonly Share[], reason: string): Promise<void> {
  const gone = new Map<number, Share>();
  for (const share of shares) {
    for (const one of [share, ...(await app.store.listDerivedShares(share.id))]) gone.set(one.id, one);
  }
  for (const share of gone.values()) {
    await app.store.deleteShare(share.id);
    // SQLite may give the id of the newest deleted row to the next share: no browser may find it unlocked.
    await app.sessions.forgetUnlockedShare(share.id);
  }
  if (gone.size > 0) app.log.info({ event: 'shares_retired', reason, shareIds: [...gone.keys()] }, 'shares removed');
  const federated = [...gone.values()].filter((share) => share.shareType === 6);
  // A few at a time: a folder may carry many federated shares, each telling means calls to another server.
  for (let start = 0; start < federated.length; start += NOTIFICATIONS_AT_ONCE) {
    const batch = federated.slice(start, start + NOTIFICATIONS_AT_ONCE);
    await Promise.all(batch.map((share) => unshareUserShare(app, share)));
  }
}

/** Shares made from the link `linkId` (e.g. when its password changed: they were opened with the old one). */
export async function retireDerivedShares(app: App, linkId: number, reason: string): Promise<void> {
  return retireShares(app, await app.store.listDerivedShares(linkId), reason);
}

export function sharesFollowItems(app: App, owner: string): TreeObserver {
  return {
    async removing(segments) {
      // Not awaited: a slow or dead receiver must not hold up the delete; its SHARE_UNSHARED waits in the outbox.
      void retireShares(app, await app.store.listSharesUnder(owner, toPlainPath(segments)), 'item deleted');
    },
    async moved(from, to) {
      await app.store.moveShares(owner, toPlainPath(from), toPlainPath(to));
    },
    async replaced(segments) {
      const path = toPlainPath(segments);
      const shares = (await app.store.listSharesUnder(owner, path)).filter((share) => share.path === path);
      if (shares.length === 0) return;
      const key = await itemKeyAt(app, owner, path);
      if (key) for (const share of shares) await app.store.updateShare(share.id, { itemKey: key });
    },
  };
}

/** A mount was removed: shares that passed it on (the bridge) have nothing left to serve. */
export async function externalShareRemoved(app: App, mount: ExternalShare): Promise<void> {
  if (!mount.accepted) return;
  void retireShares(app, await app.store.listSharesUnder(mount.uid, mount.mountpoint), 'mount removed');
}
