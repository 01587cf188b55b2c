import { HttpError } from './errors';

// Brute-force protection for logins and link passwords. Keyed by (client IP, account or share token). After `limit`
// failures every further attempt is refused with 429 for an exponentially growing time (2 s, 4 s, … capped at 5 min),
// even with the right password, so guessing costs the attacker time. A success clears the key; entries forget after
// 15 minutes without failures.

const WINDOW_MS = 15 * 60 * 1000;
const MAX_BLOCK_MS = 5 * 60 * 1000;

interface Record {
  failures: number;
  last: number;
}

export class Throttle {
  private readonly records = new Map<string, Record>();

  constructor(private readonly limit: number) {}

  /** Throws 429 if the key is currently blocked. */
  check(key: string): void {
    const record = this.records.get(key);
    if (!record) return;
    const now = Date.now();
    if (now - record.last > WINDOW_MS) {
      this.records.delete(key);
      return;
    }
    if (record.failures < this.limit) return;
    const blockMs = Math.min(MAX_BLOCK_MS, 1000 * 2 ** (record.failures - this.limit + 1));
    const remaining = record.last + blockMs - now;
    if (remaining > 0) {
      throw new HttpError(429, 'Too many failed attempts, try again later', 429, { 'Retry-After': String(Math.ceil(remaining / 1000)) });
    }
  }

  fail(key: string): void {
    const now = Date.now();
    const record = this.records.get(key);
    if (record && now - record.last <= WINDOW_MS) {
      record.failures++;
      record.last = now;
    } else {
      this.records.set(key, { failures: 1, last: now });
    }
    if (this.records.size > 50_000) this.prune(now);
  }

  succeed(key: string): void {
    this.records.delete(key);
  }

  private prune(now: number): void {
    for (const [key, record] of this.records) if (now - record.last > WINDOW_MS) this.records.delete(key);
  }
}
