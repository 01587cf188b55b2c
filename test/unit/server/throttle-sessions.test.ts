import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Throttle } from '@/lib/server/http/throttle';
import { Sessions } from '@/lib/server/http/session';

// Issue 8, finding 10: backoff instead of lockout, and a session table anonymous traffic cannot empty.

const blocked = (throttle: Throttle, client: string, subject: string) => {
  try {
    throttle.check(client, subject);
    return false;
  } catch {
    return true;
  }
};

describe('Throttle', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('backs one client off after its own failures, growing, and forgets on success', () => {
    const throttle = new Throttle({ perClient: 3, global: 100 });
    for (let i = 0; i < 3; i++) throttle.fail('a', 'user:x');
    expect(blocked(throttle, 'a', 'user:x')).toBe(true);
    expect(blocked(throttle, 'b', 'user:x')).toBe(false);
    vi.advanceTimersByTime(2100);
    expect(blocked(throttle, 'a', 'user:x')).toBe(false);
    throttle.fail('a', 'user:x');
    vi.advanceTimersByTime(2100);
    expect(blocked(throttle, 'a', 'user:x')).toBe(true); // 4 s now
    throttle.succeed('a', 'user:x');
    expect(blocked(throttle, 'a', 'user:x')).toBe(false);
  });

  it('holds back every client that failed on a subject under attack, never a clean one', () => {
    const throttle = new Throttle({ perClient: 5, global: 10 });
    for (let i = 0; i < 40; i++) throttle.fail(`attacker-${i}`, 'link:T');
    expect(blocked(throttle, 'attacker-7', 'link:T')).toBe(true);
    expect(blocked(throttle, 'visitor', 'link:T')).toBe(false);
    expect(blocked(throttle, 'attacker-7', 'link:other')).toBe(false);
    // The hold on a client ends with the subject's backoff (at most 5 minutes): no permanent lockout.
    vi.advanceTimersByTime(5 * 60 * 1000 + 1000);
    expect(blocked(throttle, 'attacker-7', 'link:T')).toBe(false);
  });

  it('keeps bounded tables', () => {
    const throttle = new Throttle({ perClient: 1, global: 1_000_000, maxEntries: 100 });
    throttle.fail('first', 'user:x');
    expect(blocked(throttle, 'first', 'user:x')).toBe(true);
    for (let i = 0; i < 200; i++) throttle.fail(`c${i}`, `user:${i}`);
    expect(blocked(throttle, 'first', 'user:x')).toBe(false); // the oldest entry was evicted
  });
});

describe('Sessions', () => {
  const response = () => ({ setHeader: vi.fn() }) as unknown as ServerResponse & { setHeader: ReturnType<typeof vi.fn> };
  const cookieOf = (res: { setHeader: ReturnType<typeof vi.fn> }) => String(res.setHeader.mock.calls[0]?.[1] ?? '').split(';')[0] ?? '';
  const withCookie = (cookie: string) => ({ headers: { cookie } }) as IncomingMessage;
  const anonymous = { headers: {} } as IncomingMessage;

  it('drops the oldest anonymous sessions when full, never a logged-in one', async () => {
    const sessions = new Sessions({ cookieName: 'octest', maxSessions: 10 });
    const loginRes = response();
    await sessions.rotate(anonymous, loginRes, 'alice');
    const alice = withCookie(cookieOf(loginRes));
    const first = response();
    await sessions.ensure(anonymous, first);
    for (let i = 0; i < 100; i++) await sessions.ensure(anonymous, response());
    expect(sessions.size).toBe(10);
    expect((await sessions.find(alice))?.uid).toBe('alice');
    expect(await sessions.find(withCookie(cookieOf(first)))).toBeUndefined();
  });

  it('ends logged-in sessions whose credential stamp changed', async () => {
    let stamp = 'one';
    const sessions = new Sessions({ cookieName: 'octest', maxSessions: 10, stampOf: async () => stamp });
    const res = response();
    await sessions.rotate(anonymous, res, 'alice');
    expect((await sessions.find(withCookie(cookieOf(res))))?.uid).toBe('alice');
    stamp = 'two';
    expect(await sessions.find(withCookie(cookieOf(res)))).toBeUndefined();
  });
});
