import { sendMessage } from '@/lib/messaging/protocol';
import { ProblemError } from '@/lib/problem';
import type { Sharer, SharerAnswer, SharerRequest } from './types';

/**
 * One of the fixed sharer requests, run by our content script in the share tab's top frame: on the sharer's own
 * origin, so it needs no host permission and no CORS answer from someone else's server.
 */
export async function askSharer(tabId: number, request: SharerRequest): Promise<SharerAnswer> {
  const answer = await sendMessage('background:sharerRequest', request, { tabId, frameId: 0 }).catch(() => undefined);
  // The tab was closed or left the share: the user must keep the share page open until the share is added.
  if (!answer) throw new ProblemError({ code: 'share-page-closed' });
  return answer;
}

export function tabSharer(tabId: number): Sharer {
  return { ask: (request) => askSharer(tabId, request) };
}
