import { parseShareUrl } from '@/lib/share/url';
import type { ShareUrl } from '@/lib/share/types';
import { createFederatedShareCall } from './create-federated-share';
import { publicDavCall } from './public-dav';
import { shareInfoCall } from './shareinfo';
import { statusCall } from './status';
import { tokenInfoCall } from './tokeninfo';
import type { SharerAnswer, SharerCall, SharerRequest } from './types';

const MAX_BODY = 64 * 1024;

/**
 * Runs one of the fixed sharer requests for the share at `href` (the share tab's own location, or the link the
 * context menu was opened on): each operation's module builds its request from that URL alone. The token must be
 * the one in the URL: a message cannot make the page talk about another share.
 */
export async function performSharerRequest(
  href: string,
  request: SharerRequest,
  fetchImpl: typeof fetch = fetch,
): Promise<SharerAnswer> {
  const url = parseShareUrl(href);
  if (!url) return { status: 0, body: 'This tab no longer shows the share.' };
  if (request.op !== 'status' && request.token !== url.token)
    return { status: 0, body: 'This tab shows another share.' };
  const call = callFor(url, request);
  let response: Response;
  try {
    response = await fetchImpl(call.url, { ...call.init, signal: AbortSignal.timeout(call.timeoutMs) });
  } catch {
    return { status: 0, body: '' };
  }
  const body = await response.text().catch(() => '');
  return { status: response.status, body: body.slice(0, MAX_BODY) };
}

function callFor(url: ShareUrl, request: SharerRequest): SharerCall {
  switch (request.op) {
    case 'status':
      return statusCall(url);
    case 'tokeninfo':
      return tokenInfoCall(url);
    case 'publicdav':
      return publicDavCall(url, request.password, request.depth);
    case 'shareinfo':
      return shareInfoCall(url, request.password);
    case 'createFederatedShare':
      return createFederatedShareCall(url, request.shareWith, request.password);
  }
}
