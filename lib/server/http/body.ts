import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors';

/**
 * Reads a whole request body, refusing (413) as soon as it grows past `limit`, so a huge body never fills memory.
 * The rest of a refused body is read and dropped rather than the connection torn down, so the client gets the 413
 * (a chunked body has no Content-Length to refuse it by up front); the request deadline bounds how long that lasts.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    return Promise.reject(new HttpError(413, 'Request body too large'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      refused = true;
      chunks.length = 0;
      reject(new HttpError(413, 'Request body too large'));
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', () => reject(new HttpError(400, 'The request body did not arrive completely')));
  });
}

export type Params = Record<string, unknown>;

/** Form or JSON body, merged over the query string (body wins), like PHP's $_REQUEST as ownCloud reads it. */
export async function readParams(req: IncomingMessage, query: URLSearchParams, limit: number): Promise<Params> {
  return parseParams(await readBody(req, limit), req.headers['content-type'], query);
}

/** The parameters of a body already read (signed OCM requests need the raw bytes as well). */
export function parseParams(body: Buffer, contentType: string | undefined, query: URLSearchParams): Params {
  const params: Params = Object.fromEntries(query.entries());
  if (body.length === 0) return params;
  const type = String(contentType ?? '').toLowerCase();
  if (type.includes('json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'Invalid JSON body');
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(params, parsed);
    else throw new HttpError(400, 'JSON body must be an object');
  } else {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = value;
  }
  return params;
}

/** A string parameter, or undefined when absent / not a string. */
export function str(params: Params, key: string): string | undefined {
  const value = params[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
