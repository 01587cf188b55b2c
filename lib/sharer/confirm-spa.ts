import { confirmByPublicDav } from './public-dav';
import { parseTokenInfo, tokenInfoUndecided } from './tokeninfo';
import type { SharerAnswer, SharerRequest, SpaConfirmation } from './types';

/**
 * Whether an SPA (oCIS / OpenCloud) link is real, asked of the link's own server through `ask` (the share tab, or the
 * background for a context-menu link): `tokeninfo` first; where it answers a password link exactly like an unknown
 * one (OpenCloud: statuscode 996), the link's public WebDAV tells them apart, as the server's own web client does.
 */
export async function confirmSpaLink(
  ask: (request: SharerRequest) => Promise<SharerAnswer>,
  token: string,
): Promise<SpaConfirmation> {
  const answer = await ask({ op: 'tokeninfo', token });
  if (answer.status === 0) return { confirmed: false, reason: 'unreachable' };
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return { confirmed: false, reason: 'bad-response' };
  }
  if (tokenInfoUndecided(body))
    return confirmByPublicDav(await ask({ op: 'publicdav', token, password: '', depth: 0 }));
  return parseTokenInfo(body, token);
}
