import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../../lib/server/federation/notification-outbox';
import { MIN_NOTIFICATION_RETRY_MS, NOTIFICATION_MAX_BACKOFF_MS } from '../../../lib/server/timeouts';

describe('retryDelay (OCM notification backoff)', () => {
  it('starts at the retry interval and doubles per failed attempt, up to the cap', () => {
    expect([0, 1, 2, 3].map((failures) => retryDelay(30_000, failures))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelay(30_000, 7)).toBe(NOTIFICATION_MAX_BACKOFF_MS);
    expect(retryDelay(30_000, 1000)).toBe(NOTIFICATION_MAX_BACKOFF_MS);
  });

  it('never goes below the minimum interval (a retry setting of 0 must not spin)', () => {
    expect(retryDelay(0, 0)).toBe(MIN_NOTIFICATION_RETRY_MS);
  });
});
