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
  /** For a logged-in session: the account's credential stamp at login; a password reset changes it (see `stampOf`). */
  stamp?: string;
}

const IDLE_MS = 60 * 60 * 1000;

export interface SessionOptions {
  /**
   * The session cookie's name, one per node (ownCloud names it after its instance id the same way). Browsers keep
   * cookies per host, not per port: two nodes on one host with one cookie name would log each other's browsers out.
   */
  cookieName: string;
  /** Sessions kept at most, logged-in and anonymous together. */
  maxSessions: number;
  /** The account's current credential stamp (undefined: no such account). A logged-in session whose stamp differs is
   * dead: a password reset from the CLI (another process) thus logs out every browser of that account. */
  stampOf?: (uid: string) => Promise<string | undefined>;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

/**
 * Bounded memory without letting anonymous traffic log anyone out: sessions are created only when there is something
 * to keep (a login, an unlocked link, the CSRF token of a form), anonymous and logged-in sessions live in two tables,
 * each in least-recently-used order, and when the bound is reached the oldest *anonymous* session goes first. A
 * logged-in session is only ever dropped for another login (or when idle for an hour).
 */
export class Sessions {
  private readonly anonymous = new Map<string, Session>();
  private readonly loggedIn = new Map<string, Session>();

  constructor(private readonly options: SessionOptions) {}

  get size(): number {
    return this.anonymous.size + this.loggedIn.size;
  }

  /** The session of this request, if its cookie names a live one. */
  async find(req: IncomingMessage): Promise<Session | undefined> {
    const id = parseCookies(req.headers.cookie).get(this.options.cookieName);
    if (!id) return undefined;
    const table = this.loggedIn.has(id) ? this.loggedIn : this.anonymous;
    const session = table.get(id);
    if (!session) return undefined;
    table.delete(id);
    const stale = Date.now() - session.lastSeen > IDLE_MS;
    const revoked = session.uid !== null && this.options.stampOf !== undefined && (await this.options.stampOf(session.uid)) !== session.stamp;
    if (stale || revoked) return undefined;
    session.lastSeen = Date.now();
    table.set(id, session); // most recently used goes to the end
    return session;
  }

  /** The existing session or a new one (with its cookie set on the response): only for pages with a form to protect. */
  async ensure(req: IncomingMessage, res: ServerResponse): Promise<Session> {
    return (await this.find(req)) ?? (await this.create(res, null));
  }

  /** The request token to embed in a page that has no form: the session's if there is one, else a throwaway one. */
  async pageToken(req: IncomingMessage): Promise<string> {
    return (await this.find(req))?.requestToken ?? randomBytes(24).toString('base64url');
  }

  /** Logging in gets a fresh session id (no session fixation). */
  async rotate(req: IncomingMessage, res: ServerResponse, uid: string): Promise<Session> {
    const old = await this.find(req);
    if (old) await this.destroy(old);
    const fresh = await this.create(res, uid);
    if (old) for (const id of old.unlockedShares) fresh.unlockedShares.add(id);
    return fresh;
  }

  async destroy(session: Session): Promise<void> {
    this.anonymous.delete(session.id);
    this.loggedIn.delete(session.id);
  }

  /** A link's password changed (or the link is gone): browsers that entered the old one must enter the new one. */
  async forgetUnlockedShare(shareId: number): Promise<void> {
    for (const sessions of [this.anonymous, this.loggedIn]) {
      for (const session of sessions.values()) session.unlockedShares.delete(shareId);
    }
  }

  /** Logs every browser of `uid` out (password reset, account removal). */
  async destroyUser(uid: string): Promise<void> {
    for (const [id, session] of this.loggedIn) if (session.uid === uid) this.loggedIn.delete(id);
  }

  private async create(res: ServerResponse, uid: string | null): Promise<Session> {
    const stamp = uid === null ? undefined : await this.options.stampOf?.(uid);
    const session: Session = {
      id: randomBytes(24).toString('base64url'), requestToken: randomBytes(24).toString('base64url'), uid,
      unlockedShares: new Set(), lastSeen: Date.now(), stamp,
    };
    if (this.makeRoom(uid !== null)) {
      (uid === null ? this.anonymous : this.loggedIn).set(session.id, session);
      res.setHeader('Set-Cookie', `${this.options.cookieName}=${session.id}; Path=/; HttpOnly; SameSite=Lax`);
    }
    // else: the table is full of logged-in sessions; this anonymous visitor gets a session that is not kept.
    return session;
  }

  /** Frees a slot if the table is full: idle sessions, then the oldest anonymous one, then (for a login only) the
   * least recently used logged-in one. False if there is no room for an anonymous session. */
  private makeRoom(forLogin: boolean): boolean {
    if (this.size < this.options.maxSessions) return true;
    const now = Date.now();
    for (const table of [this.anonymous, this.loggedIn]) {
      for (const [id, session] of table) {
        if (now - session.lastSeen <= IDLE_MS) break; // LRU order: the rest are fresher
        table.delete(id);
      }
    }
    while (this.size >= this.options.maxSessions) {
      const victims = this.anonymous.size > 0 ? this.anonymous : forLogin ? this.loggedIn : undefined;
      const oldest = victims?.keys().next().value;
      if (!victims || oldest === undefined) return false;
      victims.delete(oldest);
    }
    return true;
  }
}

/** The request token from the header, query or form, compared to the session's. */
export function requestTokenMatches(session: Session | undefined, supplied: string | undefined): boolean {
  return Boolean(session && supplied && safeEqual(session.requestToken, supplied));
}
