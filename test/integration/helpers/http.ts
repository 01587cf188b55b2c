import http, { type IncomingHttpHeaders } from 'node:http';

// Small HTTP helpers for the integration tests: Basic auth, form bodies, OCS calls and a cookie jar for browser flows.

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export interface CallOptions {
  auth?: [string, string];
  form?: Record<string, string>;
  json?: unknown;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  jar?: CookieJar;
  /**
   * Send `OCS-APIRequest: true` (default: whenever `auth` is given, as every ownCloud/Nextcloud client does). The
   * companion refuses state-changing calls made with a user's credentials without it (CSRF, 412); tests of that
   * refusal pass false.
   */
  apiHeader?: boolean;
}

export async function call(url: string, method = 'GET', options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth) headers.Authorization = basic(...options.auth);
  if (options.apiHeader ?? options.auth !== undefined) headers['OCS-APIRequest'] ??= 'true';
  let body: string | Uint8Array | undefined = options.body;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] = 'application/json';
  }
  if (options.jar) headers.Cookie = options.jar.header();
  const response = await fetch(url, { method, headers, body: body as BodyInit | undefined, redirect: 'manual' });
  options.jar?.store(response);
  return response;
}

export interface OcsBody {
  ocs: { meta: { status: string; statuscode: number; message: string | null }; data: unknown };
}

/** An OCS call in JSON; returns HTTP status and the parsed envelope. */
export async function ocs(
  url: string,
  method: string,
  options: CallOptions = {},
): Promise<{ status: number; body: OcsBody }> {
  const sep = url.includes('?') ? '&' : '?';
  const response = await call(`${url}${sep}format=json`, method, { apiHeader: true, ...options });
  return { status: response.status, body: (await response.json()) as OcsBody };
}

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export function requestTokenOf(html: string): string {
  const match = /data-requesttoken="([^"]*)"/.exec(html);
  if (!match?.[1]) throw new Error('no request token in page');
  return match[1];
}

export const PROPFIND_ALL = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>';

/** Names listed in a multistatus body (decoded, trailing slash kept for folders). */
export function hrefs(xml: string): string[] {
  return [...xml.matchAll(/<d:href>([^<]*)<\/d:href>/g)].map((m) => decodeURIComponent(m[1] ?? ''));
}

/**
 * A request sent with exactly the given headers. fetch() cannot do that for browser-only headers (undici always
 * sends `Sec-Fetch-Mode: cors`), so this is how a test looks like a browser navigation.
 */
export function rawCall(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}
