import { HttpError } from './errors';

// Brute-force protection for logins and link passwords: backoff, not lockout.
//
// A *subject* is what is guessed at (an account, a link token). Failures are counted twice: per (client address,
// subject) and per subject from all clients together.
//  - Per client: after `perClient` failures that client gets 429 for 2 s, 4 s, 8 s … (max 5 min), even with the right
//    password, so one address cannot guess fast.
//  - Per subject: once `global` failures piled up from anywhere, every client that *itself* failed on that subject
//    recently (within the current global backoff, 2 s … 5 min) gets 429 too. An attacker spread over many addresses
//    thus gets about one guess per address per backoff period instead of `perClient` quickly.
//  - A client with no recent failure of its own always gets through: the real user, from their own address, can log
//    in or open their link while someone else hammers it. That is why the global count never blocks clean clients
//    (a lockout would hand any attacker a denial of service), and why success clears only that client's count.
// Memory is bounded: both tables are LRU maps with a fixed size, and entries expire 15 minutes after their last failure.

const WINDOW_MS = 15 * 60 * 1000;
const MAX_BLOCK_MS = 5 * 60 * 1000;
const MAX_ENTRIES = 50_000; // per table; about 10 MB each at worst

interface Failures {
  count: number;
  last: number;
}

/** Backoff after `over` failures beyond the limit: 2 s, 4 s, 8 s … capped. */
const backoffMs = (over: number): number => Math.min(MAX_BLOCK_MS, 1000 * 2 ** Math.min(over + 1, 20));

/** A Map used as an LRU: reads move an entry to the end, the first entries are the least recently used. */
class FailureTable {
  private readonly entries = new Map<string, Failures>();

  constructor(private readonly maxEntries: number) {}

  get(key: string, now: number): Failures | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (now - entry.last > WINDOW_MS) return undefined;
    this.entries.set(key, entry);
    return entry;
  }

  add(key: string, now: number): Failures {
    const entry = this.get(key, now) ?? { count: 0, last: now };
    entry.count++;
    entry.last = now;
    this.entries.set(key, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
    return entry;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

export interface ThrottleLimits {
  /** Failures per (client, subject) before that client gets backoff. */
  perClient: number;
  /** Failures per subject from all clients before clients that failed on it get backoff. */
  global: number;
  maxEntries?: number;
}

export class Throttle {
  private readonly perClient: FailureTable;
  private readonly perSubject: FailureTable;

  constructor(private readonly limits: ThrottleLimits) {
    this.perClient = new FailureTable(limits.maxEntries ?? MAX_ENTRIES);
    this.perSubject = new FailureTable(limits.maxEntries ?? MAX_ENTRIES);
  }

  /** Throws 429 (with Retry-After) if this client must wait before trying `subject` again. */
  check(client: string, subject: string): void {
    const now = Date.now();
    const own = this.perClient.get(`${client}\0${subject}`, now);
    if (!own) return; // a clean client is never held back
    let waitMs = 0;
    if (own.count >= this.limits.perClient) waitMs = own.last + backoffMs(own.count - this.limits.perClient) - now;
    const all = this.perSubject.get(subject, now);
    if (all && all.count >= this.limits.global) {
      const globalMs = backoffMs(all.count - this.limits.global);
      // Only while this client's own failure is recent, measured against the subject's current backoff.
      waitMs = Math.max(waitMs, own.last + globalMs - now);
    }
    if (waitMs > 0) {
      throw new HttpError(429, 'Too many failed attempts, try again later', 429, { 'Retry-After': String(Math.ceil(waitMs / 1000)) });
    }
  }

  fail(client: string, subject: string): void {
    const now = Date.now();
    this.perClient.add(`${client}\0${subject}`, now);
    this.perSubject.add(subject, now);
  }

  /** The client got it right: its own count is cleared; the subject's stays (an attacker's failures still count). */
  succeed(client: string, subject: string): void {
    this.perClient.delete(`${client}\0${subject}`);
  }
}
