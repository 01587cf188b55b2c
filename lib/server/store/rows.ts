import type { ExternalShare, NewExternalShare, NewShare, Share } from './types';

// Rows of the shares tables as both engines return them (same column names), and their mapping to the interface types.

export interface ShareRow {
  id: number;
  share_type: number;
  owner: string;
  path: string;
  item_type: string;
  permissions: number;
  token: string;
  password_hash: string | null;
  expiration: string | null;
  name: string | null;
  share_with: string | null;
  accepted: number;
  stime: number;
  item_key: string | null;
  parent_id: number | null;
}
export interface ExternalShareRow {
  id: number;
  uid: string;
  kind: string;
  remote: string;
  remote_id: string;
  share_token: string;
  password: string;
  name: string;
  owner: string;
  mountpoint: string;
  accepted: number;
  item_type: string;
  dav_url: string;
  created_at: number;
}

export const toShare = (r: ShareRow): Share => ({
  id: r.id,
  shareType: r.share_type === 6 ? 6 : 3,
  owner: r.owner,
  path: r.path,
  itemType: r.item_type === 'file' ? 'file' : 'folder',
  permissions: r.permissions,
  token: r.token,
  passwordHash: r.password_hash,
  expiration: r.expiration,
  name: r.name,
  shareWith: r.share_with,
  accepted: r.accepted === 1,
  stime: r.stime,
  itemKey: r.item_key,
  parentId: r.parent_id,
});
export const toExternalShare = (r: ExternalShareRow): ExternalShare => ({
  id: r.id,
  uid: r.uid,
  kind: r.kind === 'user' ? 'user' : 'link',
  remote: r.remote,
  remoteId: r.remote_id,
  shareToken: r.share_token,
  password: r.password,
  name: r.name,
  owner: r.owner,
  mountpoint: r.mountpoint,
  accepted: r.accepted === 1,
  itemType: r.item_type === 'file' ? 'file' : 'folder',
  davUrl: r.dav_url,
  createdAt: r.created_at,
});

/** The columns a new shares row is written with, in the order of shareValues. */
export const SHARE_COLUMNS = `share_type, owner, path, item_type, permissions, token, password_hash, expiration, name,
  share_with, accepted, stime, item_key, parent_id`;
export const shareValues = (share: NewShare, stime: number): unknown[] => [
  share.shareType,
  share.owner,
  share.path,
  share.itemType,
  share.permissions,
  share.token,
  share.passwordHash,
  share.expiration,
  share.name,
  share.shareWith,
  share.accepted ? 1 : 0,
  stime,
  share.itemKey ?? null,
  share.parentId ?? null,
];

/** The columns a new remote_shares row is written with, in the order of externalShareValues. */
export const EXTERNAL_SHARE_COLUMNS = `uid, kind, remote, remote_id, share_token, password, name, owner, mountpoint,
  accepted, item_type, dav_url, created_at`;
export const externalShareValues = (share: NewExternalShare, createdAt: number): unknown[] => [
  share.uid,
  share.kind,
  share.remote,
  share.remoteId,
  share.shareToken,
  share.password,
  share.name,
  share.owner,
  share.mountpoint,
  share.accepted ? 1 : 0,
  share.itemType,
  share.davUrl,
  createdAt,
];

/** The columns of ocm_outbox under the names of OutboxNotification (both engines; ids are text, times fit 2^53). */
export const OUTBOX_COLUMNS = `id, remote, type, provider_id AS "providerId", shared_secret AS "sharedSecret", message,
  attempts, next_attempt_at AS "nextAttemptAt", created_at AS "createdAt"`;
