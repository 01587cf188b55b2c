import type { SpaConfirmation } from '@/lib/messaging/protocol';

/**
 * oCIS / OpenCloud answer `GET {base}/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/{token}`
 * without authentication (docs/protocols.md#tokeninfo). An unknown or expired token is a server error, so anything
 * but a well-formed answer naming the same token fails closed.
 */
export function tokenInfoUrl(origin: string, basePath: string, token: string): string {
  return `${origin}${basePath}/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/${encodeURIComponent(token)}?format=json`;
}

/**
 * OpenCloud (and oCIS) answer a password link exactly like an unknown or deleted one: HTTP 200, status "error",
 * statuscode 996, no data (recorded: tokeninfo-pw-json, -unknown-json, -deleted-json). That answer decides nothing;
 * the link's public WebDAV must (lib/share/public-dav.ts), as the server's own web client does.
 */
export function tokenInfoUndecided(body: unknown): boolean {
  return (body as { ocs?: { meta?: { statuscode?: unknown } } } | null)?.ocs?.meta?.statuscode === 996;
}

export function parseTokenInfo(body: unknown, token: string): SpaConfirmation {
  const data = (body as { ocs?: { meta?: { statuscode?: unknown }; data?: unknown } } | null)?.ocs?.data;
  const statuscode = (body as { ocs?: { meta?: { statuscode?: unknown } } } | null)?.ocs?.meta?.statuscode;
  if (statuscode !== 100 && statuscode !== 200) return { confirmed: false, reason: 'The server does not know this link.' };
  if (!data || typeof data !== 'object') return { confirmed: false, reason: 'The server answered without link details.' };
  const info = data as { token?: unknown; password_protected?: unknown; alias_link?: unknown };
  if (info.token !== token) return { confirmed: false, reason: 'The server answered for a different link.' };
  // An internal link opens only for users logged in to its server: no other server can read it.
  if (info.alias_link === true) return { confirmed: false, reason: 'This link is only for users logged in to its server.' };
  const isProtected = info.password_protected === true || info.password_protected === 'true';
  return { confirmed: true, isProtected };
}
