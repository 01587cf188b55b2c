import { confirmByPublicDav } from './public-dav';
import { readTokenInfo } from './tokeninfo';
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
  const verdict = readTokenInfo(await ask({ op: 'tokeninfo', token }), token);
  if (verdict !== 'undecided') return verdict;
  return confirmByPublicDav(await ask({ op: 'publicdav', token, password: '', depth: 0 }));
}
