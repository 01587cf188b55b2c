import type { PendingConfirmation } from '@/lib/messaging/protocol';
import { parseShareUrl } from '@/lib/share/url';
import { shareKey } from './share-key';
import type { HistoryEntry } from './store';

/** The fields of a history entry that recognise the share again later (its hashed identity, file or folder). */
export async function historyIdentity(
  pending: PendingConfirmation,
): Promise<Pick<HistoryEntry, 'shareKey' | 'isFolder'>> {
  const url = parseShareUrl(pending.shareUrl);
  return {
    ...(url && { shareKey: await shareKey(url.origin, url.token) }),
    ...(pending.claims.isFolder !== undefined && { isFolder: pending.claims.isFolder }),
  };
}
