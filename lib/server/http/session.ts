import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { safeEqual } from '../secrets';

// Browser sessions (web UI, login flow pages, password-protected link pages). Kept in memory on purpose: a restart
// only logs browsers out, it loses no acknowledged data. Each session has its own CSRF request token, which pages embed
// as <head data-requesttoken> like ownCloud does.

export interface Session {
  id: string;
  requestToken: string;
  uid: string | null;
  /** Link shares whose password this browser has entered. */
  unlockedShares: Set<number>;
  lastSeen: number;
}

const COOKIE = 'atc_session';
const IDLE_MS = 60 * 60 * 1000;
const MAX_SESSIONS = 20_000;

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();

  /** The session of this request, if its cookie names a live one. */
  find(req: IncomingMessage): Session | undefined {
    const id = parseCookies(req.headers.cookie).get(COOKIE);
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (Date.now() - session.lastSeen > IDLE_MS) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeen = Date.now();
    return session;
  }

  /** The existing session or a new one (with its cookie set on the response). */
  ensure(req: IncomingMessage, res: ServerResponse): Session {
    return this.find(req) ?? this.create(res);
  }

  private create(res: ServerResponse): Session {
    this.pruneIdle();
    const session: Session = {
      id: randomBytes(24).toString('base64url'), requestToken: randomBytes(24).toString('base64url'), uid: null,
      unlockedShares: new Set(), lastSeen: Date.now(),
    };
    this.sessions.set(session.id, session);
    res.setHeader('Set-Cookie', `${COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Lax`);
    return session;
  }

  /** Logging in gets a fresh session id (no session fixation). */
  rotate(req: IncomingMessage, res: ServerResponse, uid: string): Session {
    const old = this.find(req);
    if (old) this.sessions.delete(old.id);
    const fresh = this.create(res);
    fresh.uid = uid;
    if (old) for (const id of old.unlockedShares) fresh.unlockedShares.add(id);
    return fresh;
  }

  destroy(session: Session): void {
    this.sessions.delete(session.id);
  }

  /** A link's password changed (or the link is gone): browsers that entered the old one must enter the new one. */
  forgetUnlockedShare(shareId: number): void {
    for (const session of this.sessions.values()) session.unlockedShares.delete(shareId);
  }

  /** Bounded memory: idle sessions go first; under a flood of anonymous visitors the oldest ones are dropped. */
  private pruneIdle(): void {
    if (this.sessions.size < MAX_SESSIONS / 2) return;
    const now = Date.now();
    for (const [id, session] of this.sessions) if (now - session.lastSeen > IDLE_MS) this.sessions.delete(id);
    for (const id of this.sessions.keys()) {
      if (this.sessions.size < MAX_SESSIONS) break;
      this.sessions.delete(id);
    }
  }
}

/** The request token from the header, query or form, compared to the session's. */
export function requestTokenMatches(session: Session | undefined, supplied: string | undefined): boolean {
  return Boolean(session && supplied && safeEqual(session.requestToken, supplied));
}
