import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Throttle } from '@/lib/server/http/throttle';
import { Sessions } from '@/lib/server/http/session';
import { SqliteStore } from '@/lib/server/store/sqlite';

// Issue 8, finding 10: backoff instead of lockout, and a session table anonymous traffic cannot empty. Both keep their
// state in the store (issue 11); an in-memory SQLite database stands in for it here.

let store: SqliteStore;
beforeEach(() => {
  store = new SqliteStore(':memory:');
});
afterEach(async () => store.close());

const blocked = async (throttle: Throttle, client: string, subject: string) => {
  try {
    await throttle.check(client, subject);
    return false;
  } catch {
    return true;
  }
};

describe('Throttle', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('backs one client off after its own failures, growing, and forgets on success', async () => {
    const throttle = new Throttle({ perClient: 3, global: 100 }, store, 'login');
    for (let i = 0; i < 3; i++) await throttle.fail('a', 'user:x');
    expect(await blocked(throttle, 'a', 'user:x')).toBe(true);
    expect(await blocked(throttle, 'b', 'user:x')).toBe(false);
    vi.advanceTimersByTime(2100);
    expect(await blocked(throttle, 'a', 'user:x')).toBe(false);
    await throttle.fail('a', 'user:x');
    vi.advanceTimersByTime(2100);
    expect(await blocked(throttle, 'a', 'user:x')).toBe(true); // 4 s now
    await throttle.succeed('a', 'user:x');
    expect(await blocked(throttle, 'a', 'user:x')).toBe(false);
  });

  it('holds back every client that failed on a subject under attack, never a clean one', async () => {
    const throttle = new Throttle({ perClient: 5, global: 10 }, store, 'link');
    for (let i = 0; i < 40; i++) await throttle.fail(`attacker-${i}`, 'link:T');
    expect(await blocked(throttle, 'attacker-7', 'link:T')).toBe(true);
    expect(await blocked(throttle, 'visitor', 'link:T')).toBe(false);
    expect(await blocked(throttle, 'attacker-7', 'link:other')).toBe(false);
    // The hold on a client ends with the subject's backoff (at most 5 minutes): no permanent lockout.
    vi.advanceTimersByTime(5 * 60 * 1000 + 1000);
    expect(await blocked(throttle, 'attacker-7', 'link:T')).toBe(false);
  });

  it('keeps the counts of two throttles apart, and forgets failures after 15 minutes', async () => {
    const login = new Throttle({ perClient: 1, global: 1000 }, store, 'login');
    const link = new Throttle({ perClient: 1, global: 1000 }, store, 'link');
    await login.fail('a', 'x');
    expect(await blocked(login, 'a', 'x')).toBe(true);
    expect(await blocked(link, 'a', 'x')).toBe(false);
    vi.advanceTimersByTime(15 * 60 * 1000 + 1);
    await login.fail('a', 'x'); // a count older than the window starts over: 1 failure, 2 s backoff
    vi.advanceTimersByTime(2100);
    expect(await blocked(login, 'a', 'x')).toBe(false);
  });
});

describe('Sessions', () => {
  const response = () =>
    ({ setHeader: vi.fn() }) as unknown as ServerResponse & { setHeader: ReturnType<typeof vi.fn> };
  const cookieOf = (res: { setHeader: ReturnType<typeof vi.fn> }) =>
    String(res.setHeader.mock.calls[0]?.[1] ?? '').split(';')[0] ?? '';
  const withCookie = (cookie: string) => ({ headers: { cookie } }) as IncomingMessage;
  const anonymous = { headers: {} } as IncomingMessage;

  it('drops the oldest anonymous sessions when full, never a logged-in one', async () => {
    await store.addUser({ uid: 'alice', displayName: 'Alice', passwordHash: 'h1' });
    const sessions = new Sessions({ cookieName: 'octest', maxSessions: 10, store });
    const loginRes = response();
    await sessions.rotate(anonymous, loginRes, 'alice');
    const alice = withCookie(cookieOf(loginRes));
    const first = response();
    await sessions.ensure(anonymous, first);
    for (let i = 0; i < 100; i++) await sessions.ensure(anonymous, response());
    expect(await sessions.size()).toBe(10);
    expect((await sessions.find(alice))?.uid).toBe('alice');
    expect(await sessions.find(withCookie(cookieOf(first)))).toBeUndefined();
  });

  it('ends logged-in sessions whose account password changed or whose account is gone', async () => {
    await store.addUser({ uid: 'alice', displayName: 'Alice', passwordHash: 'one' });
    const sessions = new Sessions({ cookieName: 'octest', maxSessions: 10, store });
    const res = response();
    await sessions.rotate(anonymous, res, 'alice');
    expect((await sessions.find(withCookie(cookieOf(res))))?.uid).toBe('alice');
    await store.addUser({ uid: 'alice', displayName: 'Alice', passwordHash: 'two' });
    expect(await sessions.find(withCookie(cookieOf(res)))).toBeUndefined();
  });

  it('keeps unlocked links per session, forgets them everywhere when a link changes, and stores no cookie value', async () => {
    const sessions = new Sessions({ cookieName: 'octest', maxSessions: 10, store });
    const res = response();
    const session = await sessions.ensure(anonymous, res);
    await sessions.unlockShare(session, 7);
    const again = await sessions.find(withCookie(cookieOf(res)));
    expect([...(again?.unlockedShares ?? [])]).toEqual([7]);
    await sessions.forgetUnlockedShare(7);
    expect([...((await sessions.find(withCookie(cookieOf(res))))?.unlockedShares ?? [])]).toEqual([]);
    expect(await store.getSession(session.id)).toBeUndefined(); // stored under its hash only
  });
});
