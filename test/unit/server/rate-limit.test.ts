import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../../../lib/server/federation/rate-limit';
import { HttpError } from '../../../lib/server/http/errors';

describe('RateLimiter (anonymous federation calls)', () => {
  afterEach(() => vi.useRealTimers());

  it('allows `limit` calls per key and minute, then 429 with Retry-After until the window ends', () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter(3);
    for (let i = 0; i < 3; i++) limiter.hit('ip:a', 'server:x');
    let error: unknown;
    try {
      limiter.hit('ip:a', 'server:y');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(429);
    expect((error as HttpError).headers['Retry-After']).toBe('60');
    // Another client for the same server is over the server's limit too; a fresh client and server are not.
    expect(() => limiter.hit('ip:b', 'server:x')).toThrow(HttpError);
    limiter.hit('ip:c', 'server:z');
    vi.advanceTimersByTime(60_000);
    limiter.hit('ip:a', 'server:x');
  });

  it('tracks a bounded number of keys, forgetting the least recently used', () => {
    const limiter = new RateLimiter(25, 100);
    limiter.hit('ip:kept');
    for (let i = 0; i < 1000; i++) {
      limiter.hit(`ip:${i}`);
      if (i % 50 === 0) limiter.hit('ip:kept');
    }
    expect(limiter.size).toBe(100);
    // "kept" stayed in use, so its count (21) survived: four more calls reach the limit, the fifth is refused.
    for (let i = 0; i < 4; i++) limiter.hit('ip:kept');
    expect(() => limiter.hit('ip:kept')).toThrow(HttpError);
  });

  it('does nothing with limit 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 100; i++) limiter.hit('ip:a');
    expect(limiter.size).toBe(0);
  });
});
