import * as v from 'valibot';
import { readAnswer, readJsonAnswer } from '@/lib/answer';
import type { ShareUrl } from '@/lib/share/types';
import { SHARER_TOKENINFO_MS } from '@/lib/timeouts';
import type { SharerAnswer, SharerCall, SpaConfirmation, SpaRefusal } from './types';

/**
 * oCIS / OpenCloud answer `GET {base}/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/{token}`
 * without authentication (docs/protocols.md#tokeninfo). An unknown or expired token is a server error, so anything
 * but a well-formed answer naming the same token fails closed.
 */
export function tokenInfoUrl(origin: string, basePath: string, token: string): string {
  const endpoint = `${origin}${basePath}/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected`;
  return `${endpoint}/${encodeURIComponent(token)}?format=json`;
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

const refused = (reason: SpaRefusal): SpaConfirmation => ({ confirmed: false, reason });

/**
 * What tokeninfo says of the link `token`: confirmed (and whether it wants a password), refused, or `undecided`.
 * OpenCloud (and oCIS) answer a password link exactly like an unknown or deleted one: HTTP 200, status "error",
 * statuscode 996, no data (recorded: tokeninfo-pw-json, -unknown-json, -deleted-json). That answer decides nothing;
 * the link's public WebDAV must (public-dav.ts), as the server's own web client does.
 */
export function readTokenInfo(answer: SharerAnswer, token: string): SpaConfirmation | 'undecided' {
  if (answer.status === 0) return refused('unreachable');
  const envelope = readJsonAnswer(TokenInfoAnswer, answer.body);
  if (!envelope) return refused('bad-response');
  const statuscode = envelope.ocs.meta.statuscode;
  if (statuscode === 996) return 'undecided';
  if (statuscode !== 100 && statuscode !== 200) return refused('unknown-link');
  const info = readAnswer(LinkDetails, envelope.ocs.data);
  if (!info) return refused('bad-response');
  if (info.token !== token) return refused('other-link');
  if (info.alias_link === true) return refused('internal-link');
  const isProtected = info.password_protected === true || info.password_protected === 'true';
  return { confirmed: true, isProtected };
}
