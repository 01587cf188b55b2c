import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { App, Ctx } from '../context';
import { hashPasswordAsync, sha256, verifyPassword } from '../secrets';
import type { User } from '../store/types';
import { HttpError, PlainJsonError } from './errors';
import { requestTokenMatches, type Session } from './session';
import { AUTH_CACHE_MS } from '../timeouts';

interface Principal {
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

/** A hash of a random password nobody knows: unknown accounts are checked against it (see verifyAccount). */
let dummyHash: Promise<string> | undefined;
const dummyHashOnce = (): Promise<string> => (dummyHash ??= hashPasswordAsync(randomBytes(18).toString('base64')));
void dummyHashOnce(); // computed at start-up, so the first probe is not slower than the next ones

/**
 * The same scrypt work whether or not the account exists, so the answer time does not tell an attacker which account
 * names are real (ownCloud and Nextcloud do not hide this as well; Basic auth, the login form and Login Flow all end
 * here).
 */
async function verifyAccount(
  app: App,
  account: User | undefined,
  password: string,
): Promise<Omit<Principal, 'via'> | undefined> {
  if (!account) {
    await verifyPassword(password, await dummyHashOnce());
    return undefined;
  }
  const appPassword = await app.store.findAppPassword(account.uid, sha256(password));
  if (appPassword) {
    // Written at most once a minute per client: verified credentials are cached for AUTH_CACHE_MS.
    await app.store.touchAppPassword(appPassword.id, Math.floor(Date.now() / 1000));
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
  await app.loginThrottle.check(ctx.ip, subject);
  const cacheKey = sha256(`${user}\0${password}`);
  const cached = app.authCache.get(cacheKey);
  if (cached && cached.until > Date.now()) {
    // A password reset (`user add`, another process) or a revoked app password takes effect at once.
    const stillValid =
      cached.appPasswordId === null
        ? (await app.store.getUser(cached.uid))?.passwordHash === cached.passwordHash
        : await app.store.findAppPassword(user, sha256(password));
    if (stillValid) return { uid: cached.uid, appPasswordId: cached.appPasswordId };
    app.authCache.delete(cacheKey);
  }
  // Concurrent checks of the same credentials (a client's burst of parallel requests) share one scrypt.
  const account = user === '' ? undefined : await app.store.getUser(user);
  let pending = app.authInflight.get(cacheKey);
  if (!pending) {
    pending = verifyAccount(app, account, password).finally(() => app.authInflight.delete(cacheKey));
    app.authInflight.set(cacheKey, pending);
  }
  const principal = await pending; // undefined for an unknown account
  if (!principal) {
    await app.loginThrottle.fail(ctx.ip, subject);
    // Only name real accounts: a client that sends a share token as user name must not get it into the log.
    app.log.warn(
      { event: 'login_failed', user: account ? account.uid : '[unknown account]', ip: ctx.ip },
      'login failed',
    );
    throw new HttpError(401, 'Unauthorised', 997, {
      'WWW-Authenticate': 'Basic realm="Add to Cloud", charset="UTF-8"',
    });
  }
  await app.loginThrottle.succeed(ctx.ip, subject);
  if (app.authCache.size > 10_000) app.authCache.clear();
  app.authCache.set(cacheKey, {
    ...principal,
    passwordHash: account?.passwordHash ?? '',
    until: Date.now() + AUTH_CACHE_MS,
  });
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

// ---- CSRF and the Basic challenge -------------------------------------------------------------------------------
// A browser that once answered a Basic challenge for this node keeps sending those credentials, also on requests a
// hostile page starts (an auto-submitting form). So (1) every state-changing call made with a user's credentials must
// carry a header a form cannot send, and (2) browser navigations are never challenged, so browsers do not get to
// cache the credentials in the first place. Both as Nextcloud 31 does (412 {"message":"CSRF check failed"}).

const BASIC_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="Add to Cloud", charset="UTF-8"' };
/** Methods an API call may use without proving it is not cross-site: they never change state. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const csrfCheckFailed = (): PlainJsonError => new PlainJsonError(412, 'CSRF check failed');

/**
 * Proof that a request is not a cross-site form: `OCS-APIRequest: true` (what every ownCloud/Nextcloud client sends)
 * or the session's request token as a header. Neither can be set by an HTML form, and a cross-site script cannot add
 * them without a CORS preflight, which this server never grants.
 */
export async function hasCsrfProof(ctx: Ctx, session?: Session): Promise<boolean> {
  if (String(ctx.req.headers['ocs-apirequest'] ?? '').toLowerCase() === 'true') return true;
  const token = ctx.req.headers.requesttoken;
  return typeof token === 'string' && requestTokenMatches(session ?? (await ctx.app.sessions.find(ctx.req)), token);
}

/**
 * A top-level or frame navigation of a browser (`Sec-Fetch-Mode: navigate`; browsers too old to send it are
 * recognised by asking for HTML). WebDAV and API clients send neither, so they still get the challenge they need.
 */
function isBrowserNavigation(req: IncomingMessage): boolean {
  const mode = req.headers['sec-fetch-mode'];
  // nested-navigate: frames in Chrome 76–79.
  if (typeof mode === 'string') return mode === 'navigate' || mode === 'nested-navigate';
  return String(req.headers.accept ?? '').includes('text/html');
}

/** The error headers to send: a Basic challenge is dropped when the request is a browser navigation. */
export function challengeFiltered(req: IncomingMessage, headers: Record<string, string>): Record<string, string> {
  if (!isBrowserNavigation(req)) return headers;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'www-authenticate'));
}

interface ApiAuthOptions {
  /** A GET that nevertheless changes state (Nextcloud's GET core/getapppassword creates an app password). */
  changesState?: boolean;
}

/**
 * The caller of an API request: Basic auth (login or app password), or a logged-in browser session. Sessions always
 * need CSRF proof (ownCloud and Nextcloud require OCS-APIRequest for cookie-authenticated OCS calls); Basic auth needs
 * it for every call that changes state. Without it: 412 "CSRF check failed".
 */
async function apiPrincipal(ctx: Ctx, options: ApiAuthOptions = {}): Promise<Principal | undefined> {
  const basic = await basicPrincipal(ctx);
  if (basic) {
    const changesState = options.changesState === true || !READ_METHODS.has(ctx.req.method ?? '');
    if (changesState && !(await hasCsrfProof(ctx))) throw csrfCheckFailed();
    return basic;
  }
  const session = await ctx.app.sessions.find(ctx.req);
  if (!session?.uid) return undefined;
  if (!(await hasCsrfProof(ctx, session))) throw csrfCheckFailed();
  return { uid: session.uid, appPasswordId: null, via: 'session' };
}

export async function requireApiPrincipal(ctx: Ctx, options: ApiAuthOptions = {}): Promise<Principal> {
  const principal = await apiPrincipal(ctx, options);
  if (!principal) throw new HttpError(401, 'Unauthorised', 997, BASIC_CHALLENGE);
  return principal;
}
