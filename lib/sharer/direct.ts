import { performSharerRequest } from './perform';
import type { Sharer, SharerAnswer, SharerRequest } from './types';

/**
 * The sharer requests sent by the background itself, for a link that is not open in any tab (the context menu).
 * The same fixed requests as the share tab sends (perform.ts builds them from the link, and refuses a
 * token other than the link's), without cookies. The browser lets them through only while the user's grant for
 * the sharer's origin lasts (context-menu.ts asks for it at the click, and takes it back when the add is over).
 */
export function directSharer(shareUrl: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): Sharer {
  return { ask: (request: SharerRequest): Promise<SharerAnswer> => performSharerRequest(shareUrl, request, fetchImpl) };
}
