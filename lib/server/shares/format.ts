import type { App } from '../context';
import type { Entry } from '../files/tree';
import type { Share } from '../store/types';

export function shareUrl(app: App, token: string): string {
  return `${app.config.publicUrl}/s/${token}`;
}

/** One share in ownCloud 10's OCS shape (Share20OcsController::formatShare). */
export async function formatShare(app: App, share: Share, entry: Entry | undefined): Promise<Record<string, unknown>> {
  const owner = await app.store.getUser(share.owner);
  const displayName = owner?.displayName ?? share.owner;
  const base: Record<string, unknown> = {
    id: String(share.id),
    share_type: share.shareType,
    uid_owner: share.owner,
    displayname_owner: displayName,
    permissions: share.permissions,
    stime: share.stime,
    parent: null,
    expiration: share.expiration ? `${share.expiration} 00:00:00` : null,
    // Federated shares (6) show their OCM shared secret to the owner, as ownCloud 10's recorded answer to creating
    // one does.
    token: share.shareType === 3 || share.shareType === 6 ? share.token : null,
    uid_file_owner: share.owner,
    displayname_file_owner: displayName,
    additional_info_owner: null,
    additional_info_file_owner: null,
    path: share.path,
    mimetype: entry?.mime ?? null,
    storage_id: `home::${share.owner}`,
    storage: 1,
    item_type: share.itemType,
    item_source: entry?.fileId ?? null,
    file_source: entry?.fileId ?? null,
    file_parent: null,
    file_target: share.shareType === 6 ? '' : share.path,
    mail_send: 0,
    attributes: null,
  };
  if (share.shareType === 3) {
    base.name = share.name;
    base.url = shareUrl(app, share.token);
    if (share.passwordHash) base.share_with = '***redacted***';
  } else {
    base.share_with = share.shareWith;
    base.share_with_displayname = share.shareWith;
    base.accepted = share.accepted;
  }
  return base;
}
