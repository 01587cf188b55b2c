import type { PendingConfirmation } from '@/lib/messaging/protocol';
import { directSharer } from './direct';
import { tabSharer } from './tab';
import type { Sharer } from './types';

/**
 * Who carries the fixed sharer requests (status.php, shareinfo, tokeninfo, public WebDAV, createFederatedShare) to
 * the sharer's server. Two ways, one contract (`Sharer`):
 * - the share tab (tab.ts): our content script, on the sharer's own origin, with no permission at all;
 * - direct (direct.ts): the background itself, for a link added from a context menu, where no share tab
 *   exists; it runs only while the user has granted the sharer's origin for this one add.
 */
export function sharerFor(pending: PendingConfirmation): Sharer {
  return pending.via === 'direct' ? directSharer(pending.shareUrl) : tabSharer(pending.tabId);
}
