import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';
import type { ShareUrl } from '@/lib/share/types';
import { SHARER_TOKENINFO_MS } from '@/lib/timeouts';
import type { SharerCall, SpaConfirmation } from './types';

/**
 * oCIS / OpenCloud answer `GET {base}/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/{token}`
 * without authentication (docs/protocols.md#tokeninfo). An unknown or expired token is a server error, so anything
 * but a well-formed answer naming the same token fails closed.
 */
export function tokenInfoUrl(origin: string, basePath: string, token: string): string {
  return `${origin}${basePath}/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/${encodeURIComponent(token)}?format=json`;
}

/** Same origin as the tab, so no CORS answer and no host permission are needed (oCIS sends neither). No cookies. */
export function tokenInfoCall(url: ShareUrl): SharerCall {
  return {
    url: tokenInfoUrl(url.origin, url.basePath, url.token),
    init: { credentials: 'omit', headers: { Accept: 'application/json', 'OCS-APIRequest': 'true' } },
    timeoutMs: SHARER_TOKENINFO_MS,
  };
}

/** The OCS envelope (statuscode 100 / 200 when the link is known); its `data` is judged on its own. */
const TokenInfoAnswer = v.object({
  ocs: v.object({ meta: v.object({ statuscode: v.optional(v.unknown()) }), data: v.optional(v.unknown()) }),
});
const LinkDetails = v.object({
  token: v.optional(v.unknown()),
  password_protected: v.optional(v.unknown()),
  alias_link: v.optional(v.unknown()),
});

/**
 * OpenCloud (and oCIS) answer a password link exactly like an unknown or deleted one: HTTP 200, status "error",
 * statuscode 996, no data (recorded: tokeninfo-pw-json, -unknown-json, -deleted-json). That answer decides nothing;
 * the link's public WebDAV must (public-dav.ts), as the server's own web client does.
 */
export function tokenInfoUndecided(body: unknown): boolean {
  return readAnswer(TokenInfoAnswer, body)?.ocs.meta.statuscode === 996;
}

export function parseTokenInfo(body: unknown, token: string): SpaConfirmation {
  const answer = readAnswer(TokenInfoAnswer, body);
  const statuscode = answer?.ocs.meta.statuscode;
  if (!answer || (statuscode !== 100 && statuscode !== 200))
    return { confirmed: false, reason: 'The server does not know this link.' };
  const info = readAnswer(LinkDetails, answer.ocs.data);
  if (!info) return { confirmed: false, reason: 'The server answered without link details.' };
  if (info.token !== token) return { confirmed: false, reason: 'The server answered for a different link.' };
  // An internal link opens only for users logged in to its server: no other server can read it.
  if (info.alias_link === true)
    return { confirmed: false, reason: 'This link is only for users logged in to its server.' };
  const isProtected = info.password_protected === true || info.password_protected === 'true';
  return { confirmed: true, isProtected };
}
