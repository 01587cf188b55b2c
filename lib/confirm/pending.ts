import type { PageClaims, PendingConfirmation, PendingRefusal } from '@/lib/messaging/protocol';
import type { ShareUrl } from '@/lib/share/types';
import { canonicalShareUrl } from '@/lib/share/url';
import { CONFIRMATION_TTL_MS } from '@/lib/timeouts';

export type PendingResult = { ok: true; pending: PendingConfirmation } | { ok: false; reason: PendingRefusal };

/**
 * Builds the confirmation from what the browser says about the tab (its URL, parsed by `parse`) and what
 * the page claims. Origin and token never come from the page: a page can only describe the share its own
 * URL points at, and it cannot ask for a confirmation when the claims say federation is not allowed.
 */
export function buildPendingConfirmation(
  tabId: number | undefined,
  tabUrl: string | undefined,
  claims: PageClaims,
  parse: (url: string) => ShareUrl | null,
  now: number,
): PendingResult {
  if (tabId === undefined || tabId < 0 || !tabUrl) return { ok: false, reason: 'not-a-tab' };
  const url = parse(tabUrl);
  if (!url) return { ok: false, reason: 'not-a-share' };
  if (!claims.canFederate) return { ok: false, reason: 'not-allowed' };
  return {
    ok: true,
    pending: {
      tabId,
      origin: url.origin,
      basePath: url.basePath,
      shareUrl: canonicalShareUrl(url),
      claims: sanitizeClaims(claims),
      requestedAt: now,
    },
  };
}

export function isExpired(pending: PendingConfirmation, now: number): boolean {
  return now - pending.requestedAt > CONFIRMATION_TTL_MS || now < pending.requestedAt;
}

const MAX_CLAIM_LENGTH = 512;
const KINDS = new Set<PageClaims['kind']>(['owncloud', 'nextcloud', 'ocis', 'companion']);

/** Claims arrive from a content script on a page we do not trust: keep only well-typed, bounded fields. */
export function sanitizeClaims(claims: PageClaims): PageClaims {
  const text = (value: unknown) =>
    typeof value === 'string' && value.length > 0 ? value.slice(0, MAX_CLAIM_LENGTH) : undefined;
  return {
    kind: KINDS.has(claims.kind) ? claims.kind : 'owncloud',
    name: text(claims.name),
    owner: text(claims.owner),
    ownerDisplayName: text(claims.ownerDisplayName),
    isFolder: typeof claims.isFolder === 'boolean' ? claims.isFolder : undefined,
    isProtected: claims.isProtected === true,
    canFederate: claims.canFederate === true,
    federationBlockedReason: undefined,
  };
}
