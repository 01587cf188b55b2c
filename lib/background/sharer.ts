import type { PendingConfirmation, SharerAnswer, SharerRequest } from '@/lib/messaging/protocol';
import { directSharer } from './sharer-direct';
import { tabSharer } from './sharer-tab';

/**
 * Who carries the fixed sharer requests (status.php, shareinfo, tokeninfo, createFederatedShare) to the sharer's
 * server. Two ways, one contract:
 * - the share tab (sharer-tab.ts): our content script, on the sharer's own origin, with no permission at all;
 * - direct (sharer-direct.ts): the background itself, for a link added from a context menu, where no share tab
 *   exists; it runs only while the user has granted the sharer's origin for this one add.
 */
export interface Sharer {
  ask(request: SharerRequest): Promise<SharerAnswer>;
}

export function sharerFor(pending: PendingConfirmation): Sharer {
  return pending.via === 'direct' ? directSharer(pending.shareUrl) : tabSharer(pending.tabId);
}
