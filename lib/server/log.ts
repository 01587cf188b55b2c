import pino, { type Logger } from 'pino';

// Secrets must never reach a log line. Redaction covers the field names we use for them anywhere in a log object;
// routes additionally log only paths without query strings (share tokens travel in paths, see `safePath`).
const REDACT = [
  'password', '*.password', 'appPassword', '*.appPassword', 'token', '*.token', 'sharedSecret', '*.sharedSecret',
  'secret', '*.secret', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
  'cookie', '*.cookie', 'headers.cookie', 'req.headers.cookie', 'share_token', '*.share_token', 'requesttoken',
  '*.requesttoken',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'add-to-cloud-server' }, redact: { paths: REDACT, censor: '[redacted]' } });
}

/** A request path fit for logs: no query string, and share tokens / login-flow tokens replaced. */
export function safePath(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path
    .replace(/\/s\/[^/]+/g, '/s/[token]')
    .replace(/\/login\/v2\/flow\/[^/]+/g, '/login/v2/flow/[token]');
}
