import { randomBytes } from 'node:crypto';
import type { App, Ctx } from '../context';
import { hashPasswordAsync, sha256, verifyPassword } from '../secrets';
import type { User } from '../store/types';
import { HttpError } from './errors';

export interface Principal {
  uid: string;
  /** Set when the request authenticated with an app password (so DELETE /core/apppassword knows which one). */
  appPasswordId: number | null;
  via: 'basic' | 'session';
}

export function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const CACHE_MS = 60_000;

/** A hash of a random password nobody knows: unknown accounts are checked against it (see verifyAccount). */
let dummyHash: Promise<string> | undefined;
const dummyHashOnce = (): Promise<string> => (dummyHash ??= hashPasswordAsync(randomBytes(18).toString('base64')));
void dummyHashOnce(); // computed at start-up, so the first probe is not slower than the next ones

/**
 * The same scrypt work whether or not the account exists, so the answer time does not tell an attacker which account
 * names are real (ownCloud and Nextcloud do not hide this as well; Basic auth, the login form and Login Flow all end here).
 */
async function verifyAccount(app: App, account: User | undefined, password: string): Promise<Omit<Principal, 'via'> | undefined> {
  if (!account) {
    await verifyPassword(password, await dummyHashOnce());
    return undefined;
  }
  const appPassword = app.store.findAppPassword(account.uid, sha256(password));
  if (appPassword) {
    // Written at most once a minute per client: verified credentials are cached for CACHE_MS.
    app.store.touchAppPassword(appPassword.id, Math.floor(Date.now() / 1000));
    return { uid: account.uid, appPasswordId: appPassword.id };
  }
  if (await verifyPassword(password, account.passwordHash)) return { uid: account.uid, appPasswordId: null };
  return undefined;
}

/**
 * Checks a login password or an app password for `user`. Throttled per (IP, account) and per account (backoff, see
 * throttle.ts); unknown accounts count as failures too, so probing account names costs the same as guessing passwords.
 */
export async function checkCredentials(ctx: Ctx, user: string, password: string): Promise<Omit<Principal, 'via'>> {
  const { app } = ctx;
  const subject = `user:${user.toLowerCase()}`;
  app.loginThrottle.check(ctx.ip, subject);
  const cacheKey = sha256(`${user}\0${password}`);
  const cached = app.authCache.get(cacheKey);
  if (cached && cached.until > Date.now()) {
    // A password reset (`user add`, another process) or a revoked app password takes effect at once.
    const stillValid = cached.appPasswordId === null
      ? app.store.getUser(cached.uid)?.passwordHash === cached.passwordHash
      : app.store.findAppPassword(user, sha256(password));
    if (stillValid) return { uid: cached.uid, appPasswordId: cached.appPasswordId };
    app.authCache.delete(cacheKey);
  }
  // Concurrent checks of the same credentials (a client's burst of parallel requests) share one scrypt.
  const account = user === '' ? undefined : app.store.getUser(user);
  let pending = app.authInflight.get(cacheKey);
  if (!pending) {
    pending = verifyAccount(app, account, password).finally(() => app.authInflight.delete(cacheKey));
    app.authInflight.set(cacheKey, pending);
  }
  const principal = await pending; // undefined for an unknown account
  if (!principal) {
    app.loginThrottle.fail(ctx.ip, subject);
    // Only name real accounts: a client that sends a share token as user name must not get it into the log.
    app.log.warn({ event: 'login_failed', user: account ? account.uid : '[unknown account]', ip: ctx.ip }, 'login failed');
    throw new HttpError(401, 'Unauthorised', 997, { 'WWW-Authenticate': 'Basic realm="Add to Cloud", charset="UTF-8"' });
  }
  app.loginThrottle.succeed(ctx.ip, subject);
  if (app.authCache.size > 10_000) app.authCache.clear();
  app.authCache.set(cacheKey, { ...principal, passwordHash: account?.passwordHash ?? '', until: Date.now() + CACHE_MS });
  return principal;
}

/** Basic credentials if present (wrong ones are an error), else undefined. */
export async function basicPrincipal(ctx: Ctx): Promise<Principal | undefined> {
  const header = ctx.req.headers.authorization;
  if (!header) return undefined;
  const credentials = parseBasic(header);
  if (!credentials) throw new HttpError(401, 'Unauthorised', 997);
  return { ...(await checkCredentials(ctx, credentials.user, credentials.password)), via: 'basic' };
}

/**
 * The caller of an API request: Basic auth, or a logged-in browser session that proves it is not a cross-site request
 * (OCS-APIRequest header, as ownCloud requires for cookie-authenticated OCS calls).
 */
export async function apiPrincipal(ctx: Ctx): Promise<Principal | undefined> {
  const basic = await basicPrincipal(ctx);
  if (basic) return basic;
  const session = ctx.app.sessions.find(ctx.req);
  if (session?.uid && String(ctx.req.headers['ocs-apirequest'] ?? '').toLowerCase() === 'true') {
    return { uid: session.uid, appPasswordId: null, via: 'session' };
  }
  return undefined;
}

export async function requireApiPrincipal(ctx: Ctx): Promise<Principal> {
  const principal = await apiPrincipal(ctx);
  if (!principal) throw new HttpError(401, 'Unauthorised', 997, { 'WWW-Authenticate': 'Basic realm="Add to Cloud", charset="UTF-8"' });
  return principal;
}
