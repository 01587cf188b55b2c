import { HttpError } from './errors';
import { THROTTLE_MAX_BLOCK_MS, THROTTLE_WINDOW_MS } from '../timeouts';
import type { NodeStateStore } from '../store/node-state';

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
// The counts live in the database (issue 11: any node of a cluster sees every failure); only failures write, a check
// is one indexed read. Entries expire 15 minutes after their last failure (the node's sweep deletes them).

/**
 * Failure counts the store keeps at most (the node's sweep trims the oldest): anyone can add one with a wrong password
 * for any name. As many as the four in-memory tables held before they moved to the store (login and link throttles,
 * per client and per subject, 50,000 each).
 */
export const MAX_FAILURE_COUNTS = 200_000;

/** Backoff after `over` failures beyond the limit: 2 s, 4 s, 8 s … capped. */
const backoffMs = (over: number): number => Math.min(THROTTLE_MAX_BLOCK_MS, 1000 * 2 ** Math.min(over + 1, 20));

export interface ThrottleLimits {
  /** Failures per (client, subject) before that client gets backoff. */
  perClient: number;
  /** Failures per subject from all clients before clients that failed on it get backoff. */
  global: number;
}

export class Throttle {
  /**
   * `name` keeps the counts of different throttles (logins, link passwords) apart in the one table of failure counts.
   */
  constructor(
    private readonly limits: ThrottleLimits,
    private readonly store: NodeStateStore,
    private readonly name: string,
  ) {}

  private clientKey(client: string, subject: string): string {
    return JSON.stringify([this.name, 'client', client, subject]);
  }

  private subjectKey(subject: string): string {
    return JSON.stringify([this.name, 'subject', subject]);
  }

  /** Throws 429 (with Retry-After) if this client must wait before trying `subject` again. */
  async check(client: string, subject: string): Promise<void> {
    const now = Date.now();
    const ownKey = this.clientKey(client, subject);
    const allKey = this.subjectKey(subject);
    const found = await this.store.getFailures([ownKey, allKey], now - THROTTLE_WINDOW_MS);
    const own = found.get(ownKey);
    if (!own) return; // a clean client is never held back
    let waitMs = 0;
    if (own.count >= this.limits.perClient) waitMs = own.last + backoffMs(own.count - this.limits.perClient) - now;
    const all = found.get(allKey);
    if (all && all.count >= this.limits.global) {
      const globalMs = backoffMs(all.count - this.limits.global);
      // Only while this client's own failure is recent, measured against the subject's current backoff.
      waitMs = Math.max(waitMs, own.last + globalMs - now);
    }
    if (waitMs > 0) {
      throw new HttpError(429, 'Too many failed attempts, try again later', 429, {
        'Retry-After': String(Math.ceil(waitMs / 1000)),
      });
    }
  }

  async fail(client: string, subject: string): Promise<void> {
    const now = Date.now();
    await this.store.addFailure(this.clientKey(client, subject), now, now - THROTTLE_WINDOW_MS);
    await this.store.addFailure(this.subjectKey(subject), now, now - THROTTLE_WINDOW_MS);
  }

  /** The client got it right: its own count is cleared; the subject's stays (an attacker's failures still count). */
  async succeed(client: string, subject: string): Promise<void> {
    await this.store.clearFailures(this.clientKey(client, subject));
  }
}
