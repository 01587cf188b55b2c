import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';

// Secrets must never reach a log line. Redaction covers the field names we use for them anywhere in a log object;
// routes additionally log only paths without query strings (share tokens travel in paths, see `safePath`).
const REDACT = [
  'password',
  '*.password',
  'appPassword',
  '*.appPassword',
  'token',
  '*.token',
  'sharedSecret',
  '*.sharedSecret',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'cookie',
  '*.cookie',
  'headers.cookie',
  'req.headers.cookie',
  'share_token',
  '*.share_token',
  'requesttoken',
  '*.requesttoken',
];

/**
 * The request a piece of code runs for. Every log line written while a request is handled (by any module, through any
 * child logger) carries its `reqId` through pino's mixin, so one request's lines can be found together; the same id is
 * sent back as `X-Request-Id`.
 */
export const requestContext = new AsyncLocalStorage<{ reqId: string }>();

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { app: 'add-to-cloud-server' },
    redact: { paths: REDACT, censor: '[redacted]' },
    mixin: () => {
      const current = requestContext.getStore();
      return current ? { reqId: current.reqId } : {};
    },
  });
}

/** An incoming X-Request-Id we pass on: short, and only characters that cannot break a log line or a header. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of a request: the one a trusted proxy sent (so its logs and ours name the request alike), else a new one.
 * Anyone else's X-Request-Id is ignored: a client must not be able to make its requests look like someone else's.
 */
export function requestIdOf(incoming: string | string[] | undefined, fromTrustedProxy: boolean): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  if (fromTrustedProxy && value !== undefined && REQUEST_ID.test(value)) return value;
  return randomUUID();
}

/**
 * Path forms that carry a secret in the segment after them: share tokens (`/s/T`, `/index.php/s/T`, ownCloud's
 * `/apps/files_sharing/publicpreview/T`, public DAV `/remote.php/dav/public-files/T`, Nextcloud's
 * `/public.php/dav/files/T`) and Login Flow tokens (`/login/v2/flow/T`). Matched on decoded segments, anywhere in the
 * path, so `/index.php`, doubled slashes or percent-encoding do not let a token through. Query strings (`?t=T` of
 * shareinfo, `?token=` …) are dropped whole, and Basic `token:password` lives in a header pino redacts.
 */
const SECRET_AFTER: readonly (readonly string[])[] = [
  ['s'],
  ['publicpreview'],
  ['public-files'],
  ['login', 'v2', 'flow'],
  ['public.php', 'dav', 'files'],
];

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A request path fit for logs: no query string, and every segment that carries a share or login token replaced. */
export function safePath(url: string): string {
  const raw = (url.split('?')[0] ?? '').split('#')[0] ?? '';
  const segments = raw.split('/');
  const decoded = segments.map(decodeSegment);
  const named = decoded.map((segment, i) => ({ segment, i })).filter(({ segment }) => segment !== '');
  for (let n = 0; n < named.length; n++) {
    for (const marker of SECRET_AFTER) {
      const matches = marker.every((part, k) => named[n + k]?.segment.toLowerCase() === part);
      const secret = named[n + marker.length];
      if (matches && secret) segments[secret.i] = '[token]';
    }
  }
  return segments.join('/');
}
