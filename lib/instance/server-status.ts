import type { ServerKind } from '@/lib/share/types';

/**
 * Tells the server family from `GET /status.php` (docs/protocols.md#server-status). Product names can be rebranded by
 * theming, so the decision rests on the *shape* of the answer: Nextcloud alone has `extendedSupport`,
 * oCIS/OpenCloud alone `productversion`, ownCloud 10 has `product` and neither. Our companion says so in
 * `product` (COMPANION_PRODUCT), which it never rebrands.
 */
export const COMPANION_PRODUCT = 'Add to Cloud companion';

export interface ServerStatus {
  kind: ServerKind;
  /** e.g. '10.15.2', '31.0.4'; '' when the server hides its version. */
  version: string;
  productName: string;
  maintenance: boolean;
}

/** Why an answer is no cloud: a problem code (lib/problem.ts) about the server asked. */
export type StatusResult = { ok: true; status: ServerStatus } | { ok: false; reason: 'not-a-cloud' | 'not-installed' };

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export function classifyStatus(body: unknown): StatusResult {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, reason: 'not-a-cloud' };
  }
  const s = body as Record<string, unknown>;
  if (typeof s.installed !== 'boolean' || !('version' in s) || !('versionstring' in s)) {
    return { ok: false, reason: 'not-a-cloud' };
  }
  if (!s.installed) return { ok: false, reason: 'not-installed' };

  const product = str(s.product);
  let kind: ServerKind;
  if (product === COMPANION_PRODUCT) kind = 'companion';
  else if ('extendedSupport' in s) kind = 'nextcloud';
  else if ('productversion' in s) kind = 'ocis';
  else kind = 'owncloud';

  // The companion's ownCloud-shaped version fields are for ownCloud peers; its own release is `companionVersion`.
  const version = (kind === 'companion' && str(s.companionVersion)) || str(s.productversion) || str(s.versionstring);
  const fallbackName = { owncloud: 'ownCloud', nextcloud: 'Nextcloud', ocis: 'Infinite Scale', companion: COMPANION_PRODUCT }[kind];
  return {
    ok: true,
    status: {
      kind,
      version,
      productName: str(s.productname) || product || fallbackName,
      maintenance: s.maintenance === true,
    },
  };
}
