import type { SpaConfirmation } from '@/lib/messaging/protocol';

/**
 * oCIS / OpenCloud answer `GET {base}/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/{token}`
 * without authentication (protocol.md §1.5). An unknown or expired token is a server error, so anything
 * but a well-formed answer naming the same token fails closed.
 */
export function tokenInfoUrl(origin: string, basePath: string, token: string): string {
  return `${origin}${basePath}/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/${encodeURIComponent(token)}?format=json`;
}

export function parseTokenInfo(body: unknown, token: string): SpaConfirmation {
  const data = (body as { ocs?: { meta?: { statuscode?: unknown }; data?: unknown } } | null)?.ocs?.data;
  const statuscode = (body as { ocs?: { meta?: { statuscode?: unknown } } } | null)?.ocs?.meta?.statuscode;
  if (statuscode !== 100 && statuscode !== 200) return { confirmed: false, reason: 'The server does not know this link.' };
  if (!data || typeof data !== 'object') return { confirmed: false, reason: 'The server answered without link details.' };
  const info = data as { token?: unknown; password_protected?: unknown };
  if (info.token !== token) return { confirmed: false, reason: 'The server answered for a different link.' };
  const isProtected = info.password_protected === true || info.password_protected === 'true';
  return { confirmed: true, isProtected };
}
