import type { SharerAnswer, SharerRequest } from '@/lib/messaging/protocol';
import { createFederatedShareUrl } from '@/lib/mount/federated-share';
import { shareInfoRequestBody } from '@/lib/mount/shareinfo';
import { PUBLIC_DAV_PROPFIND, publicDavUrl, publicLinkAuth } from './public-dav';
import { tokenInfoUrl } from './tokeninfo';
import { parseShareUrl } from './url';

const MAX_BODY = 64 * 1024;

/**
 * Runs one of the fixed sharer requests from the share tab, on the tab's own origin (no extra permission, and
 * exactly what the sharer's own page would send). The token must be the one in this tab's URL: a message cannot
 * make the page talk about another share.
 */
export async function performSharerRequest(href: string, request: SharerRequest, fetchImpl: typeof fetch = fetch): Promise<SharerAnswer> {
  const url = parseShareUrl(href);
  if (!url) return { status: 0, body: 'This tab no longer shows the share.' };
  const base = `${url.origin}${url.basePath}`;
  let response: Response;
  try {
    if (request.op !== 'status' && request.token !== url.token) return { status: 0, body: 'This tab shows another share.' };
    if (request.op === 'status') {
      response = await fetchImpl(`${base}/status.php`, { credentials: 'omit', signal: AbortSignal.timeout(8000) });
    } else if (request.op === 'tokeninfo') {
      // Same origin as the tab, so no CORS answer and no host permission are needed (oCIS sends neither).
      response = await fetchImpl(tokenInfoUrl(url.origin, url.basePath, url.token), {
        credentials: 'omit',
        headers: { Accept: 'application/json', 'OCS-APIRequest': 'true' },
        signal: AbortSignal.timeout(5000),
      });
    } else if (request.op === 'publicdav') {
      // The link's own WebDAV, anonymously or with the link password as the web client sends it (Basic public:PW,
      // pre-emptively: the server's 401 has no challenge). Same origin as the tab; no cookies.
      response = await fetchImpl(publicDavUrl(url.origin, url.basePath, url.token), {
        method: 'PROPFIND',
        credentials: 'omit',
        headers: {
          Depth: String(request.depth === 1 ? 1 : 0),
          'Content-Type': 'application/xml; charset=utf-8',
          ...(request.password && { Authorization: publicLinkAuth(request.password) }),
        },
        body: PUBLIC_DAV_PROPFIND,
        signal: AbortSignal.timeout(8000),
      });
    } else if (request.op === 'shareinfo') {
      response = await fetchImpl(`${base}/index.php/apps/files_sharing/shareinfo?t=${encodeURIComponent(url.token)}`, {
        method: 'POST',
        credentials: 'omit',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: shareInfoRequestBody(url.token, request.password),
        signal: AbortSignal.timeout(10000),
      });
    } else {
      response = await fetchImpl(createFederatedShareUrl(url.origin, url.basePath), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ shareWith: request.shareWith, token: url.token, password: request.password }).toString(),
        signal: AbortSignal.timeout(15000),
      });
    }
  } catch {
    return { status: 0, body: '' };
  }
  const body = await response.text().catch(() => '');
  return { status: response.status, body: body.slice(0, MAX_BODY) };
}
