import { describe, expect, it } from 'vitest';
import { CONFIRMATION_TTL_MS } from '@/lib/timeouts';
import { buildPendingConfirmation, isExpired, sanitizeClaims } from '@/lib/confirm/pending';
import type { PageClaims } from '@/lib/messaging/protocol';
import type { ShareUrl } from '@/lib/share/types';

const claims: PageClaims = {
  kind: 'owncloud',
  name: 'Holiday photos',
  owner: 'alice',
  isProtected: false,
  canFederate: true,
};

/** A stand-in URL parser with the real contract: share URLs of one fixed shape, null for everything else. */
function parse(url: string): ShareUrl | null {
  const m = /^(https?:\/\/[^/]+)(\/[^?#]*?)?(\/index\.php)?\/s\/([A-Za-z0-9]{6,32})$/.exec(url);
  return m ? { origin: m[1]!, basePath: m[2] ?? '', token: m[4]!, viaIndexPhp: !!m[3], route: 'share' } : null;
}

describe('buildPendingConfirmation', () => {
  it('takes origin and link from the tab URL, not from the page', () => {
    const result = buildPendingConfirmation(
      7,
      'https://cloud.example.com/owncloud/index.php/s/AbC123xyz',
      claims,
      parse,
      1000,
    );
    expect(result).toEqual({
      ok: true,
      pending: {
        tabId: 7,
        origin: 'https://cloud.example.com',
        basePath: '/owncloud',
        shareUrl: 'https://cloud.example.com/owncloud/index.php/s/AbC123xyz',
        claims: { ...claims, ownerDisplayName: undefined, isFolder: undefined, federationBlockedReason: undefined },
        requestedAt: 1000,
      },
    });
  });

  it.each([
    [undefined, 'https://cloud.example.com/s/AbC123xyz', 'not-a-tab'],
    [-1, 'https://cloud.example.com/s/AbC123xyz', 'not-a-tab'],
    [3, undefined, 'not-a-tab'],
    [3, 'https://blog.example.com/posts/1', 'not-a-share'],
  ])('refuses tab %s with URL %s', (tabId, url, reason) => {
    const result = buildPendingConfirmation(tabId, url, claims, parse, 0);
    expect(result).toEqual({ ok: false, reason });
  });

  it('refuses when the page itself says the owner does not allow adding', () => {
    const result = buildPendingConfirmation(
      3,
      'https://c.example/s/AbC123xyz',
      { ...claims, canFederate: false },
      parse,
      0,
    );
    expect(result).toEqual({ ok: false, reason: 'not-allowed' });
  });
});

describe('sanitizeClaims', () => {
  it('keeps only well-typed fields and bounds their length', () => {
    const hostile = {
      kind: 'evil',
      name: 'x'.repeat(5000),
      owner: 42,
      ownerDisplayName: '<img src=x onerror=alert(1)>',
      isFolder: 'yes',
      isProtected: 'true',
      canFederate: 1,
      extra: 'dropped',
    } as unknown as PageClaims;
    const clean = sanitizeClaims(hostile);
    expect(clean).toEqual({
      kind: 'owncloud',
      name: 'x'.repeat(512),
      owner: undefined,
      ownerDisplayName: '<img src=x onerror=alert(1)>',
      isFolder: undefined,
      isProtected: false,
      canFederate: false,
      federationBlockedReason: undefined,
    });
  });
});

describe('isExpired', () => {
  const pending = { requestedAt: 10_000 } as Parameters<typeof isExpired>[0];
  it('is valid within the time to live and expired after it', () => {
    expect(isExpired(pending, 10_000 + CONFIRMATION_TTL_MS)).toBe(false);
    expect(isExpired(pending, 10_001 + CONFIRMATION_TTL_MS)).toBe(true);
  });
  it('treats a confirmation from the future (clock changed) as expired', () => {
    expect(isExpired(pending, 9_000)).toBe(true);
  });
});
