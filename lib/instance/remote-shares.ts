/**
 * Items of OCS `remote_shares` (docs/protocols.md#remote-shares): ownCloud sends ids and flags as strings ("6", "0"),
 * Nextcloud as numbers and booleans, and `remote` as the sender stored it (with or without a trailing slash).
 */
export interface RemoteShare {
  id: string;
  /** Sharer base URL without trailing slash. */
  remote: string;
  /** Leading slash, as the server keeps it: '/Shared Folder'. */
  name: string;
  owner: string;
  mountpoint: string;
  accepted: boolean;
  /** The federated token: a bearer credential for the remote data. Never log it. */
  shareToken: string;
  type?: 'dir' | 'file';
}

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

export function parseRemoteShares(data: unknown): RemoteShare[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((item): RemoteShare[] => {
    if (!item || typeof item !== 'object') return [];
    const r = item as Record<string, unknown>;
    const id = text(r.id);
    if (!id) return [];
    const type = r.type === 'dir' || r.type === 'file' ? r.type : undefined;
    return [
      {
        id,
        remote: text(r.remote).replace(/\/+$/, ''),
        name: text(r.name),
        owner: text(r.owner),
        mountpoint: text(r.mountpoint),
        accepted: r.accepted === true || r.accepted === 1 || r.accepted === '1',
        shareToken: text(r.share_token),
        ...(type && { type }),
      },
    ];
  });
}
