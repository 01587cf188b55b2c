import { HttpError } from '../http/errors';
import { RATE_WINDOW_MS } from '../timeouts';
import type { NodeStateStore } from '../store/node-state';

// Rate limit for anonymous server-to-server calls (OCM shares and notifications, legacy cloud/shares): at most `limit`
// calls per key in each one-minute window. Keys are a sending server's host and a client IP, so neither one server nor
// one client can fill the database or the log. The windows live in the database (issue 11), so the limit holds for a
// whole cluster, not per node; windows older than a minute are deleted by the node's periodic sweep.

export class RateLimiter {
  constructor(
    private readonly limit: number,
    private readonly store: NodeStateStore,
  ) {}

  /** Counts one call for each key; throws 429 with Retry-After if any of them is over the limit in this window. */
  async hit(...keys: string[]): Promise<void> {
    if (this.limit <= 0) return;
    const now = Date.now();
    const windows = await this.store.hitRateWindows(keys, now, now - RATE_WINDOW_MS);
    let retryAfterMs = 0;
    for (const window of windows.values()) {
      if (window.count > this.limit) retryAfterMs = Math.max(retryAfterMs, window.start + RATE_WINDOW_MS - now);
    }
    if (retryAfterMs > 0) {
      throw new HttpError(429, 'Too many requests, try again later', 429, {
        'Retry-After': String(Math.ceil(retryAfterMs / 1000)),
      });
    }
  }
}
