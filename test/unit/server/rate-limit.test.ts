import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../../../lib/server/federation/rate-limit';
import { HttpError } from '../../../lib/server/http/errors';
import { SqliteStore } from '../../../lib/server/store/sqlite';

// The windows live in the store (issue 11); an in-memory SQLite database stands in for it here.
let store: SqliteStore;
beforeEach(() => {
  store = new SqliteStore(':memory:');
});
afterEach(async () => {
  await store.close();
  vi.useRealTimers();
});

describe('RateLimiter (anonymous federation calls)', () => {
  it('allows `limit` calls per key and minute, then 429 with Retry-After until the window ends', async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter(3, store);
    for (let i = 0; i < 3; i++) await limiter.hit('ip:a', 'server:x');
    let error: unknown;
    try {
      await limiter.hit('ip:a', 'server:y');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(429);
    expect((error as HttpError).headers['Retry-After']).toBe('60');
    // Another client for the same server is over the server's limit too; a fresh client and server are not.
    await expect(limiter.hit('ip:b', 'server:x')).rejects.toThrow(HttpError);
    await limiter.hit('ip:c', 'server:z');
    vi.advanceTimersByTime(60_000);
    await limiter.hit('ip:a', 'server:x');
  });

  it('forgets windows that ended when the node sweeps', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const limiter = new RateLimiter(25, store);
    for (let i = 0; i < 100; i++) await limiter.hit(`ip:${i}`);
    vi.advanceTimersByTime(31_000);
    await limiter.hit('ip:recent');
    await store.sweepNodeState({
      sessionsBefore: 0,
      failuresBefore: 0,
      windowsBefore: Date.now() - 30_000,
      maxFailures: 100,
    });
    expect((await store.hitRateWindows(['ip:recent'], Date.now(), 0)).get('ip:recent')?.count).toBe(2);
    expect((await store.hitRateWindows(['ip:5'], Date.now(), 0)).get('ip:5')?.count).toBe(1); // swept, starts over
  });

  it('does nothing with limit 0', async () => {
    const limiter = new RateLimiter(0, store);
    for (let i = 0; i < 100; i++) await limiter.hit('ip:a');
    expect(await store.hitRateWindows(['ip:a'], Date.now(), 0)).toEqual(
      new Map([['ip:a', { start: expect.any(Number) as number, count: 1 }]]),
    );
  });
});
