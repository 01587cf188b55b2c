import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { MAX_SIGNATURE_AGE_MS } from '../timeouts';

// HTTP signatures on OCM requests, the way Nextcloud 31 makes and checks them (draft-cavage "Signature" header, not
// RFC 9421). Recorded from two real Nextcloud 31.0.2 servers (reference captures s2s-fedshare-*):
//
//   date: Mon, 30 Nov 2026 14:50:34 GMT
//   digest: SHA-512=<base64 of the SHA-512 of the body>
//   Signature: keyId="https://127.0.0.1:8131/ocm#signature",algorithm="rsa-sha512",
//              headers="(request-target) content-length date digest host",signature="<base64>"
//
// The signed text is one "name: value" line per entry of `headers`, joined by "\n"; "(request-target)" is the
// lower-case method and the request path with its query ("post /ocm/shares"). The keyId names the sender: its host
// (with port) is the sender's identity, and the sender's public key is the `publicKey` of its /ocm-provider/.
// Pure functions only: fetching keys and answering requests live in keys.ts and incoming-signature.ts.

const SIGNATURE_ALGORITHM = 'rsa-sha512';
/** What we sign, in Nextcloud's order. */
const SIGNED_HEADERS = ['(request-target)', 'content-length', 'date', 'digest', 'host'] as const;
/** A receiver refuses signatures that do not cover these (Nextcloud requires the last four; we also want the path). */
const REQUIRED_HEADERS = ['(request-target)', 'content-length', 'date', 'digest', 'host'];

const DIGESTS = new Map([
  ['SHA-256', 'sha256'],
  ['SHA-512', 'sha512'],
]);
const ALGORITHMS = new Map([
  ['rsa-sha256', 'sha256'],
  ['rsa-sha512', 'sha512'],
]);

export interface SigningKey {
  /** `https://host[:port][/path]/ocm#signature`, the same string the node advertises in its /ocm-provider/. */
  keyId: string;
  privateKey: KeyObject;
}

/** `SHA-512=base64(…)` of a body, as the `digest` header carries it. */
function bodyDigest(body: Buffer | string, algorithm: 'SHA-256' | 'SHA-512' = 'SHA-512'): string {
  return `${algorithm}=${createHash(DIGESTS.get(algorithm) ?? 'sha512')
    .update(body)
    .digest('base64')}`;
}

/**
 * The headers to add to an outgoing request: `date`, `digest` and `Signature`. Content-Length and Host are signed
 * with the values fetch itself sends (the body's byte length and the URL's host), so the caller must send `body`
 * unchanged to `url` without following redirects.
 */
export function signRequest(
  request: { method: string; url: string; body: string | Buffer },
  key: SigningKey,
  now: Date = new Date(),
): Record<string, string> {
  const url = new URL(request.url);
  const values: Record<(typeof SIGNED_HEADERS)[number], string> = {
    '(request-target)': `${request.method.toLowerCase()} ${url.pathname}${url.search}`,
    'content-length': String(Buffer.byteLength(request.body)),
    date: now.toUTCString(),
    digest: bodyDigest(request.body),
    host: url.host,
  };
  const text = SIGNED_HEADERS.map((name) => `${name}: ${values[name]}`).join('\n');
  const signature = sign('sha512', Buffer.from(text), key.privateKey).toString('base64');
  return {
    date: values.date,
    digest: values.digest,
    // No spaces after the commas: Nextcloud splits this header on "," and does not trim.
    Signature:
      `keyId="${key.keyId}",algorithm="${SIGNATURE_ALGORITHM}",` +
      `headers="${SIGNED_HEADERS.join(' ')}",signature="${signature}"`,
  };
}

/** The parts of an incoming request a signature check needs. Header names are lower case (as node:http gives them). */
export interface IncomingRequest {
  method: string;
  /** The request target as received: path and query string. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type SignatureCheck =
  | { kind: 'unsigned' }
  /** Signed, but wrong whatever the key: too old, body changed, headers not covered… `reason` is for the log. */
  | { kind: 'invalid'; reason: string }
  /** Well-formed; `verifyWith` tells whether the sender's public key made it. */
  | { kind: 'signed'; keyId: string; origin: string; verifyWith(publicKeyPem: string): boolean };

/** Splits `keyId="…",algorithm="…",headers="…",signature="…"` into its fields (quotes optional, spaces tolerated). */
function parseSignatureHeader(value: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const entry of value.split(',')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const name = entry.slice(0, eq).trim();
    const raw = entry.slice(eq + 1).trim();
    fields[name] = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  }
  return fields;
}

/**
 * The identity of a server as signatures see it: host and port, lower case, without scheme or path. Works on a keyId,
 * a URL or the remote part of a cloud id ("http://127.0.0.1:8131", "127.0.0.1:8131/sub"). One server has one
 * identity however it is spelled: the host as a URL parser reads it (so "0x7f.1" is 127.0.0.1, an IDN is punycode),
 * without a trailing dot, without the default ports 443 and 80 (a keyId is always https, whatever the scheme the
 * server is reached on), the port without leading zeros. Else a request could name a signing server in a spelling it
 * was never pinned under and, while that server is down, pass unsigned. Undefined when it names no server.
 */
export function hostIdentity(value: string): string | undefined {
  const authority =
    value
      .trim()
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .split(/[/?#]/, 1)[0] ?? '';
  if (authority === '' || /[@\s\\]/.test(authority)) return undefined;
  let url: URL;
  try {
    url = new URL(`https://${authority}`);
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/(?<=[^.])\.+$/, '');
  if (host === '' || host.startsWith('.')) return undefined;
  return url.port === '' || url.port === '80' ? host : `${host}:${url.port}`;
}

function header(request: IncomingRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/**
 * Checks everything about a signed request that does not need the sender's key (Nextcloud's order: date, length,
 * digest, then the signature's fields), and prepares the signed text for `verifyWith`. `now` is injectable so
 * recorded requests can be checked.
 */
export function checkSignature(request: IncomingRequest, now: number = Date.now()): SignatureCheck {
  const signatureHeader = header(request, 'signature');
  if (signatureHeader === '') return { kind: 'unsigned' };
  const invalid = (reason: string): SignatureCheck => ({ kind: 'invalid', reason });

  const date = Date.parse(header(request, 'date'));
  if (Number.isNaN(date)) return invalid('missing or unreadable date');
  if (date < now - MAX_SIGNATURE_AGE_MS) return invalid('date is too old');
  // A date ahead of our clock would keep the request replayable for as long as the sender liked; as much skew as the
  // age limit allows is tolerated.
  if (date > now + MAX_SIGNATURE_AGE_MS) return invalid('date is in the future');
  if (header(request, 'content-length') !== String(request.body.length))
    return invalid('content-length does not match the body');
  const digest = header(request, 'digest');
  const digestAlgorithm = digest.slice(0, digest.indexOf('='));
  if (digestAlgorithm !== 'SHA-256' && digestAlgorithm !== 'SHA-512') return invalid('unknown digest algorithm');
  if (digest !== bodyDigest(request.body, digestAlgorithm)) return invalid('digest does not match the body');

  const fields = parseSignatureHeader(signatureHeader);
  const { keyId, signature } = fields;
  if (!keyId || !signature || !fields.headers) return invalid('keyId, headers or signature missing');
  // Like Nextcloud, a signature without `algorithm` is taken as rsa-sha256.
  const hash = ALGORITHMS.get(fields.algorithm ?? 'rsa-sha256');
  if (!hash) return invalid('unsupported algorithm');
  const covered = fields.headers.toLowerCase().split(' ').filter(Boolean);
  const missing = REQUIRED_HEADERS.filter((name) => !covered.includes(name));
  if (missing.length > 0) return invalid(`signature does not cover ${missing.join(', ')}`);
  const lines: string[] = [];
  for (const name of covered) {
    const value =
      name === '(request-target)' ? `${request.method.toLowerCase()} ${request.target}` : header(request, name);
    if (value === '') return invalid(`signed header ${name} is missing`);
    lines.push(`${name}: ${value}`);
  }
  const origin = /^https?:\/\//i.test(keyId) ? hostIdentity(keyId) : undefined;
  if (!origin) return invalid('keyId is not a URL');
  const text = Buffer.from(lines.join('\n'));
  const signatureBytes = Buffer.from(signature, 'base64');
  return {
    kind: 'signed',
    keyId,
    origin,
    verifyWith(publicKeyPem: string): boolean {
      try {
        return verify(hash, text, publicKeyPem, signatureBytes);
      } catch {
        return false; // not a usable public key
      }
    },
  };
}
