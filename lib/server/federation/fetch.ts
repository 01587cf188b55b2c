import { fetch as undiciFetch } from 'undici';
import { HttpError } from '../http/errors';
import { Outbound, RefusedAddress } from './outbound';
import { HOP_HEADER, MAX_HOPS, currentScope } from './request-scope';

// Every call to another server goes through `remoteFetch`: the address policy and silence timeouts of `Outbound`, the
// loop guards of the request scope (hop header, calls per request, abort when the client leaves), no redirects, and
// errors mapped to messages a user can act on. Plain fetch (undici) is used rather than the `webdav` client because
// we need raw streaming of GET bodies straight into our response and full control over timeouts and status codes.
//
// Redirects are never followed: a redirect could lead anywhere, and peers (ownCloud, Nextcloud, companions) answer
// their federation endpoints directly. A 3xx answer is a "bad response".

type RemoteErrorKind = 'unreachable' | 'timeout' | 'bad-response' | 'refused' | 'loop';

export class RemoteError extends Error {
  constructor(
    readonly kind: RemoteErrorKind,
    message: string,
  ) {
    super(message);
  }
}

type RemoteInit = Omit<RequestInit, 'signal' | 'redirect' | 'headers'> & { headers?: Record<string, string> };

function refusedOrigin(outbound: Outbound, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${parsed.protocol} is not http or https`;
  if (parsed.origin === outbound.ownOrigin) return `${parsed.origin} is this server itself`;
  return undefined;
}

/** Counts the call against the client request that causes it, and says which hop it is. */
function nextHop(): { hop: number; signal: AbortSignal } {
  const scope = currentScope();
  if (scope.hop + 1 > MAX_HOPS)
    throw new RemoteError('loop', "Loop detected: too many servers in a row read through each other's shares");
  if (scope.callsLeft <= 0) throw new RemoteError('loop', 'Too many calls to other servers for one request');
  scope.callsLeft -= 1;
  return { hop: scope.hop + 1, signal: scope.signal };
}

function causeOf(error: unknown): unknown {
  return error instanceof Error && error.cause !== undefined ? error.cause : error;
}

export async function remoteFetch(outbound: Outbound, url: string, init: RemoteInit = {}): Promise<Response> {
  const refused = refusedOrigin(outbound, url);
  if (refused) throw new RemoteError('refused', `Remote is not allowed: ${refused}`);
  const { hop, signal } = nextHop();
  let response: Response;
  try {
    response = (await undiciFetch(url, {
      ...(init as object),
      redirect: 'manual',
      signal,
      dispatcher: outbound.dispatcher,
      headers: { 'User-Agent': 'add-to-cloud-server', ...init.headers, [HOP_HEADER]: String(hop) },
    })) as unknown as Response;
  } catch (error) {
    const cause = causeOf(error);
    if (cause instanceof RefusedAddress) throw new RemoteError('refused', `Remote is not allowed: ${cause.message}`);
    const code = (cause as { code?: unknown } | undefined)?.code;
    const name = cause instanceof Error ? cause.name : '';
    if (signal.aborted)
      throw new RemoteError('timeout', 'The request was cancelled: the client went away or its time was up');
    if (typeof code === 'string' && code.startsWith('UND_ERR_') && code.includes('TIMEOUT'))
      throw new RemoteError('timeout', 'Remote did not answer in time');
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new RemoteError('timeout', 'Remote did not answer in time');
    throw new RemoteError('unreachable', 'Remote is unreachable');
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new RemoteError(
      'bad-response',
      `Remote answered with a redirect (HTTP ${response.status}), which is not followed`,
    );
  }
  return response;
}

/** Reads a JSON answer (bounded in size) or fails with a "garbage" error. */
export async function remoteJson(
  outbound: Outbound,
  url: string,
  init: RemoteInit = {},
): Promise<{ status: number; body: unknown }> {
  const response = await remoteFetch(outbound, url, init);
  const text = await boundedText(response, 1024 * 1024);
  try {
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  } catch {
    return { status: response.status, body: undefined };
  }
}

export async function boundedText(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel();
        throw new RemoteError('bad-response', 'Remote answer is too large');
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof RemoteError) throw error;
    throw new RemoteError('timeout', 'Remote did not answer in time');
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A URL a remote advertises (OCM endPoint, WebDAV path) is followed only on that remote's own origin (scheme, host and
 * port of the server we asked), so a peer cannot point us, and the secrets we send, at another server.
 */
export function requireSameOrigin(base: string, advertised: string, what: string): string {
  const expected = new URL(base).origin;
  let origin: string;
  try {
    origin = new URL(advertised).origin;
  } catch {
    origin = advertised;
  }
  if (origin !== expected) {
    throw new RemoteError(
      'refused',
      `Remote is not allowed: it advertises its ${what} on another server (${origin}); only ${expected} is accepted`,
    );
  }
  return advertised;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

const STATUS_OF: Record<RemoteErrorKind, number> = {
  unreachable: 502,
  'bad-response': 502,
  timeout: 504,
  refused: 403,
  loop: 508,
};

/**
 * Turns a remote failure into the HTTP error our caller sees (502 / 504; 403 for a refused address, 508 for a
 * loop).
 */
export function asHttpError(error: unknown): HttpError {
  if (error instanceof RemoteError) return new HttpError(STATUS_OF[error.kind], error.message);
  if (error instanceof HttpError) return error;
  return new HttpError(502, 'Remote answered with garbage');
}
