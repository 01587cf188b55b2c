import { HttpError } from '../http/errors';

// Rate limit for anonymous server-to-server calls (OCM shares and notifications, legacy cloud/shares): at most `limit`
// calls per key in each one-minute window. Keys are a sending server's host and a client IP, so neither one server nor
// one client can fill the database or the log. Memory stays bounded: at most `maxKeys` keys are tracked and the one
// used longest ago is forgotten first (a forgotten key starts a fresh window, which is the worst an attacker cycling
// through keys can achieve; the other key of the same call still counts).

const WINDOW_MS = 60_000;

interface Window {
  start: number;
  count: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limit: number, private readonly maxKeys = 10_000) {}

  /** Counts one call for each key; throws 429 with Retry-After if any of them is over the limit in this window. */
  hit(...keys: string[]): void {
    if (this.limit <= 0) return;
    const now = Date.now();
    let retryAfterMs = 0;
    for (const key of keys) {
      const current = this.windows.get(key);
      const window = current && now - current.start < WINDOW_MS ? current : { start: now, count: 0 };
      window.count++;
      // Re-inserting moves the key to the end of the Map's order, so the first key is always the least recently used.
      this.windows.delete(key);
      this.windows.set(key, window);
      if (window.count > this.limit) retryAfterMs = Math.max(retryAfterMs, window.start + WINDOW_MS - now);
    }
    while (this.windows.size > this.maxKeys) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
    if (retryAfterMs > 0) {
      throw new HttpError(429, 'Too many requests, try again later', 429, { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) });
    }
  }

  /** Number of keys tracked (for tests of the memory bound). */
  get size(): number {
    return this.windows.size;
  }
}
