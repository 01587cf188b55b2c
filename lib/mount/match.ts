import type { RemoteShare } from '@/lib/instance/remote-shares';

/** What we know of the share being added, to recognise it among the instance's remote shares. */
export interface ShareIdentity {
  /** Sharer base URL (origin + base path). */
  remote: string;
  /** The public link token: equals `share_token` of mounts made with `external`. */
  token: string;
  name?: string;
  owner?: string;
  ownerDisplayName?: string;
  /** The owner's full cloud id: what Nextcloud lists when a sender gave no display name. */
  ownerCloudId?: string;
}

const sameRemote = (a: string, b: string) =>
  a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
const sameName = (stored: string, name: string) => stored.replace(/^\//, '') === name.replace(/^\//, '');

/**
 * A remote share is "this one" when it came from the same sharer and either carries the link token (mounted
 * through `external`), or — for federated shares, which get a fresh token — has the same name and owner (when
 * the owner is known).
 * ownCloud stores the owner's display name for `external` mounts and the uid for federated ones; Nextcloud stores
 * whatever the sender put in the OCM `ownerDisplayName` (a display name, a uid) or else the sender's cloud id.
 */
function matchesShare(candidate: RemoteShare, share: ShareIdentity): boolean {
  if (!sameRemote(candidate.remote, share.remote)) return false;
  if (candidate.shareToken && candidate.shareToken === share.token) return true;
  if (!share.name || !sameName(candidate.name, share.name)) return false;
  // Password pages do not show the owner: then sharer + name is all there is to go on.
  const owners = [share.owner, share.ownerDisplayName, share.ownerCloudId].filter((owner): owner is string => !!owner);
  return owners.length === 0 || owners.includes(candidate.owner);
}

export function findShare(list: RemoteShare[], share: ShareIdentity): RemoteShare | undefined {
  return list.find((candidate) => matchesShare(candidate, share));
}
