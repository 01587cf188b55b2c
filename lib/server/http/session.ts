import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { safeEqual, sha256 } from '../secrets';
import { SESSION_IDLE_MS, SESSION_TOUCH_MS } from '../timeouts';
import type { NodeStateStore } from '../store/node-state';

// Browser sessions (web UI, login flow pages, password-protected link pages). They live in the database (issue 11),
// so every node behind one load balancer knows every browser; a restart of a node logs nobody out. The database holds
// only the SHA-256 of the cookie value. Each session has its own CSRF request token, which pages embed as
// <head data-requesttoken> like ownCloud does.

export interface Session {
  /** The cookie value (never stored). */
  id: string;
  requestToken: string;
  uid: string | null;
  /** Link shares whose password this browser has entered (change it with Sessions.unlockShare). */
  unlockedShares: ReadonlySet<number>;
  lastSeen: number;
}

export interface SessionOptions {
  /**
   * The session cookie's name, one per public URL (ownCloud names it after its instance id the same way). Browsers keep
   * cookies per host, not per port: two nodes on one host with one cookie name would log each other's browsers out.
   * Nodes behind one load balancer share the public URL, thus the name.
   */
  cookieName: string;
  /** Sessions kept at most, logged-in and anonymous together. */
  maxSessions: number;
  store: NodeStateStore & { getUser(uid: string): Promise<{ passwordHash: string } | undefined> };
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

/** A logged-in session remembers this of the account's password hash; a password reset changes it (logs out). */
const stampOf = (passwordHash: string): string => sha256(passwordHash);

/**
 * Bounded storage without letting anonymous traffic log anyone out: sessions are created only when there is something
 * to keep (a login, an unlocked link, the CSRF token of a form), and when the bound is reached idle sessions go first,
 * then the least recently seen *anonymous* ones. A logged-in session is only ever dropped for another login (or when
 * idle for an hour). See store/node-state.ts, makeSessionRoom.
 */
export class Sessions {
  constructor(private readonly options: SessionOptions) {}

  private get store() {
    return this.options.store;
  }

  /** Sessions stored (all nodes together). */
  size(): Promise<number> {
    return this.store.countSessions();
  }

  /** The session of this request, if its cookie names a live one. One indexed read. */
  async find(req: IncomingMessage): Promise<Session | undefined> {
    const id = parseCookies(req.headers.cookie).get(this.options.cookieName);
    if (!id) return undefined;
    const idHash = sha256(id);
    const stored = await this.store.getSession(idHash);
    if (!stored) return undefined;
    const now = Date.now();
    // A password reset (`user add`, maybe from another process) or a removed account ends the account's sessions.
    const revoked =
      stored.uid !== null &&
      (stored.accountPasswordHash === null || stampOf(stored.accountPasswordHash) !== stored.stamp);
    if (now - stored.lastSeen > SESSION_IDLE_MS || revoked) {
      await this.store.deleteSession(idHash);
      return undefined;
    }
    if (now - stored.lastSeen > SESSION_TOUCH_MS) await this.store.touchSession(idHash, now);
    return {
      id,
      requestToken: stored.requestToken,
      uid: stored.uid,
      unlockedShares: new Set(stored.unlockedShares),
      lastSeen: now,
    };
  }

  /** The existing session or a new one (with its cookie set on the response): only for pages with a form to protect. */
  async ensure(req: IncomingMessage, res: ServerResponse): Promise<Session> {
    return (await this.find(req)) ?? this.create(res, null, []);
  }

  /** The request token to embed in a page that has no form: the session's if there is one, else a throwaway one. */
  async pageToken(req: IncomingMessage): Promise<string> {
    return (await this.find(req))?.requestToken ?? randomBytes(24).toString('base64url');
  }

  /** Logging in gets a fresh session id (no session fixation); links unlocked before stay unlocked. */
  async rotate(req: IncomingMessage, res: ServerResponse, uid: string): Promise<Session> {
    const old = await this.find(req);
    if (old) await this.destroy(old);
    return this.create(res, uid, [...(old?.unlockedShares ?? [])]);
  }

  async destroy(session: Session): Promise<void> {
    await this.store.deleteSession(sha256(session.id));
  }

  /** This browser entered the password of link `shareId`. */
  async unlockShare(session: Session, shareId: number): Promise<void> {
    await this.store.unlockShareInSession(sha256(session.id), shareId);
    (session.unlockedShares as Set<number>).add(shareId);
  }

  /** A link's password changed (or the link is gone): browsers that entered the old one must enter the new one. */
  async forgetUnlockedShare(shareId: number): Promise<void> {
    await this.store.forgetUnlockedShare(shareId);
  }

  /** Logs every browser of `uid` out (password reset, account removal). */
  async destroyUser(uid: string): Promise<void> {
    await this.store.deleteSessionsOf(uid);
  }

  private async create(res: ServerResponse, uid: string | null, unlockedShares: number[]): Promise<Session> {
    const now = Date.now();
    const session: Session = {
      id: randomBytes(24).toString('base64url'),
      requestToken: randomBytes(24).toString('base64url'),
      uid,
      unlockedShares: new Set(unlockedShares),
      lastSeen: now,
    };
    const user = uid === null ? undefined : await this.store.getUser(uid);
    if (await this.store.makeSessionRoom(this.options.maxSessions, now - SESSION_IDLE_MS, uid !== null)) {
      await this.store.addSession(
        {
          idHash: sha256(session.id),
          requestToken: session.requestToken,
          uid,
          stamp: user ? stampOf(user.passwordHash) : null,
          lastSeen: now,
        },
        unlockedShares,
      );
      res.setHeader('Set-Cookie', `${this.options.cookieName}=${session.id}; Path=/; HttpOnly; SameSite=Lax`);
    }
    // else: the table is full of logged-in sessions; this anonymous visitor gets a session that is not kept.
    return session;
  }
}

/** The request token from the header, query or form, compared to the session's. */
export function requestTokenMatches(session: Session | undefined, supplied: string | undefined): boolean {
  return Boolean(session && supplied && safeEqual(session.requestToken, supplied));
}
