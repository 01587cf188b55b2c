import { HttpError } from '../http/errors';

// Every call to another server goes through here: a hard timeout (a remote that never answers must not hang a request)
// and errors mapped to messages a user can act on. Plain fetch (undici) is used rather than the `webdav` client because
// we need raw streaming of GET bodies straight into our response and full control over timeouts and status codes.

export class RemoteError extends Error {
  constructor(readonly kind: 'unreachable' | 'timeout' | 'bad-response', message: string) {
    super(message);
  }
}

export async function remoteFetch(url: string, init: RequestInit & { timeoutMs: number }): Promise<Response> {
  const { timeoutMs, ...rest } = init;
  try {
    return await fetch(url, {
      ...rest,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { 'User-Agent': 'add-to-cloud-server', ...(rest.headers as Record<string, string> | undefined) },
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') throw new RemoteError('timeout', 'Remote did not answer in time');
    throw new RemoteError('unreachable', 'Remote is unreachable');
  }
}

/** Reads a JSON answer (bounded in size) or fails with a "garbage" error. */
export async function remoteJson(url: string, timeoutMs: number, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await remoteFetch(url, { ...init, timeoutMs });
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

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Turns a remote failure into the HTTP error our caller sees (502 / 504). */
export function asHttpError(error: unknown): HttpError {
  if (error instanceof RemoteError) return new HttpError(error.kind === 'timeout' ? 504 : 502, error.message);
  if (error instanceof HttpError) return error;
  return new HttpError(502, 'Remote answered with garbage');
}
