import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';

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

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** Any record; each field is read leniently below (ownCloud and Nextcloud type them differently). */
const RemoteShareRecord = v.record(v.string(), v.unknown());

export function parseRemoteShares(data: unknown): RemoteShare[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((item): RemoteShare[] => {
    const r = readAnswer(RemoteShareRecord, item);
    if (!r) return [];
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
