import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ROOT } from './node';

// Reads the recorded ownCloud 10.15.2 traffic kept in test/fixtures/captures/owncloud-10.15.2 (see the README there).
// Two formats:
// * s2s-via-*/NNN-*.txt: "### REQUEST received on …", request line, headers, blank line, body, then "### RESPONSE",
//   status line, headers, blank line, body (one server-to-server exchange seen by a logging proxy);
// * *.http: one raw response (status line, headers, blank line, body).

export const CAPTURES = path.join(ROOT, 'test/fixtures/captures/owncloud-10.15.2');

export interface CapturedRequest {
  method: string;
  /** Path with query string, as on the request line. */
  target: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

export interface CapturedResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

export interface Exchange {
  /** File name, e.g. 004-PROPFIND_public.php_webdav_.txt */
  file: string;
  request: CapturedRequest;
  response: CapturedResponse;
}

/** Splits "start line, headers, blank line, body" (CRLF or LF). Trailing blank lines of the recording are dropped. */
function splitMessage(text: string): { start: string; headers: Record<string, string>; body: string } {
  const normalized = text.replace(/\r\n/g, '\n').replace(/^\n+/, '');
  const blank = normalized.indexOf('\n\n');
  const head = blank < 0 ? normalized : normalized.slice(0, blank);
  const body = blank < 0 ? '' : normalized.slice(blank + 2).replace(/\n+$/, '');
  const [start = '', ...lines] = head.split('\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    // Repeated headers (Set-Cookie) are joined like fetch does; we never compare them.
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { start, headers, body };
}

export function parseResponse(text: string): CapturedResponse {
  const { start, headers, body } = splitMessage(text);
  const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(start);
  if (!match) throw new Error(`not a status line: ${start}`);
  return { status: Number(match[1]), statusText: match[2] ?? '', headers, body };
}

export function parseRequest(text: string): CapturedRequest {
  const { start, headers, body } = splitMessage(text);
  const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(start);
  if (!match) throw new Error(`not a request line: ${start}`);
  const target = match[2] ?? '';
  const url = new URL(target, 'http://capture.invalid');
  return {
    method: match[1] ?? '',
    target,
    path: decodeURIComponent(url.pathname),
    query: url.searchParams,
    headers,
    body,
  };
}

export function parseExchange(file: string, text: string): Exchange {
  const requestMark = text.indexOf('### REQUEST');
  const responseMark = text.indexOf('### RESPONSE');
  if (requestMark < 0 || responseMark < requestMark) throw new Error(`${file}: not a request/response capture`);
  const requestText = text.slice(text.indexOf('\n', requestMark) + 1, responseMark);
  const responseText = text.slice(text.indexOf('\n', responseMark) + 1);
  return { file, request: parseRequest(requestText), response: parseResponse(responseText) };
}

/** All exchanges of one s2s-via-* folder, in recorded order. */
export function readExchanges(folder: string): Exchange[] {
  const dir = path.join(CAPTURES, folder);
  return readdirSync(dir)
    .filter((f) => /^\d{3}-.*\.txt$/.test(f))
    .sort()
    .map((file) => parseExchange(file, readFileSync(path.join(dir, file), 'utf8')));
}

/** One raw response capture (`name` without .http). */
export function readResponse(name: string): CapturedResponse {
  return parseResponse(readFileSync(path.join(CAPTURES, `${name}.http`), 'utf8'));
}

export const decodeBasic = (header: string | undefined): [string, string] | undefined => {
  const match = /^Basic (.+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
};

// --- WebDAV multistatus, reduced to what we compare -----------------------------------------------------

export interface PropStat {
  status: number;
  /** Property names as `prefix:local` resolved to well-known prefixes (d:, oc:, ocs:) → text content. */
  props: Map<string, string>;
}

export interface DavResponse {
  href: string;
  propstats: PropStat[];
}

const KNOWN_NS: Record<string, string> = {
  'DAV:': 'd',
  'http://owncloud.org/ns': 'oc',
  'http://open-collaboration-services.org/ns': 'ocs',
  'http://sabredav.org/ns': 's',
};

/**
 * A small multistatus reader for the shapes ownCloud (Sabre) and the companion produce: flat `<prefix:name>` elements
 * inside `<d:prop>`, with namespaces declared on the root or on the element itself. Property names are normalised to
 * `d:`, `oc:` and `ocs:` so that `x1:share-permissions` (ownCloud's spelling) compares with any other prefix.
 */
export function parseMultistatus(xml: string): DavResponse[] {
  const rootNs = new Map<string, string>();
  for (const m of xml.matchAll(/xmlns:([\w.-]+)="([^"]*)"/g))
    if (!rootNs.has(m[1] ?? '')) rootNs.set(m[1] ?? '', m[2] ?? '');
  const responses: DavResponse[] = [];
  for (const r of xml.matchAll(/<d:response>([\s\S]*?)<\/d:response>/g)) {
    const inner = r[1] ?? '';
    const href = /<d:href>([^<]*)<\/d:href>/.exec(inner)?.[1] ?? '';
    const propstats: PropStat[] = [];
    for (const ps of inner.matchAll(
      /<d:propstat><d:prop>([\s\S]*?)<\/d:prop><d:status>HTTP\/1\.1 (\d{3})[^<]*<\/d:status><\/d:propstat>/g,
    )) {
      const props = new Map<string, string>();
      const propXml = ps[1] ?? '';
      // Either <p:name …/> or <p:name …>content</p:name> (content may hold <d:collection/>).
      for (const el of propXml.matchAll(/<([\w.-]+):([\w.-]+)([^>]*?)(?:\/>|>([\s\S]*?)<\/\1:\2>)/g)) {
        const [, prefix = '', local = '', attrs = '', content = ''] = el;
        const own = new RegExp(`xmlns:${prefix}="([^"]*)"`).exec(attrs)?.[1];
        const ns = own ?? rootNs.get(prefix) ?? prefix;
        props.set(`${KNOWN_NS[ns] ?? ns}:${local}`, content.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
      }
      propstats.push({ status: Number(ps[2]), props });
    }
    responses.push({ href: decodeURIComponent(href), propstats });
  }
  return responses;
}

/** "href → status → sorted property names": the structure two multistatus answers must share. */
export function davStructure(responses: DavResponse[]): Record<string, Record<number, string[]>> {
  const out: Record<string, Record<number, string[]>> = {};
  for (const r of responses) {
    const byStatus: Record<number, string[]> = {};
    for (const ps of r.propstats) byStatus[ps.status] = [...ps.props.keys()].sort();
    out[r.href] = byStatus;
  }
  return out;
}

/** The request property names of a PROPFIND body, normalised like parseMultistatus (empty for allprop / empty prop). */
export function propfindNames(body: string): string[] {
  const names: string[] = [];
  const ns = new Map<string, string>();
  for (const m of body.matchAll(/xmlns:([\w.-]+)="([^"]*)"/g)) if (!ns.has(m[1] ?? '')) ns.set(m[1] ?? '', m[2] ?? '');
  const prop = /<d:prop\b[^>]*>([\s\S]*?)<\/d:prop>/.exec(body)?.[1] ?? '';
  for (const el of prop.matchAll(/<([\w.-]+):([\w.-]+)([^>]*)\/>/g)) {
    const [, prefix = '', local = '', attrs = ''] = el;
    // A declaration on the element itself wins; otherwise the first one in the document (ownCloud's body declares x1
    // on <d:prop>, and the xmlns:x on <x1:share-permissions> only redeclares a prefix that element does not use).
    const uri = new RegExp(`xmlns:${prefix}="([^"]*)"`).exec(attrs)?.[1] ?? ns.get(prefix) ?? prefix;
    names.push(`${KNOWN_NS[uri] ?? uri}:${local}`);
  }
  return names;
}

// --- A fake "ownCloud 10" that answers from captured responses and records what it receives --------------------------

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeOwnCloud {
  url: string;
  /** host:port, what replaces the captured host (e.g. 127.0.0.1:8111) in the answers. */
  host: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers of a captured answer worth replaying (no cookies, dates or hop-by-hop headers). */
const REPLAYED_HEADERS = ['content-type', 'dav', 'vary', 'access-control-allow-origin', 'www-authenticate'];

/** "allprop" (no or empty prop list), "quota" (only quota-available-bytes) or "props". */
export function propfindKind(body: string): 'allprop' | 'quota' | 'props' {
  const names = propfindNames(body);
  if (names.length === 0) return 'allprop';
  return names.length === 1 && names[0] === 'd:quota-available-bytes' ? 'quota' : 'props';
}

/**
 * Serves the captured answers: a request gets the answer of the first captured exchange with the same method and path
 * (for PROPFIND also the same Depth, the same kind of property list and the same Basic credentials — other
 * credentials get Sabre's 401, as public.php/webdav does). `extra` may answer requests the capture has no answer for.
 * The captured host (127.0.0.1:8111) in answers is replaced by the fake's own host, so endPoint URLs point here.
 */
export async function fakeOwnCloud(
  exchanges: Exchange[],
  capturedHost: string,
  extra?: (req: ReceivedRequest) => Answer | undefined,
): Promise<FakeOwnCloud> {
  const received: ReceivedRequest[] = [];
  let host = '';
  const answer = (req: ReceivedRequest): Answer => {
    const own = extra?.(req);
    if (own) return own;
    const samePath = exchanges.filter((e) => e.request.method === req.method && e.request.path === req.path);
    if (req.method === 'PROPFIND') {
      // Same Depth; the same kind of property list if the capture has one, else any list but the quota-only one
      // (ownCloud's receiver lists with allprop, the companion with a property list: both answers carry what it reads).
      const kind = propfindKind(req.body);
      const sameDepth = samePath.filter((e) => e.request.headers.depth === String(req.headers.depth ?? '1'));
      const sameKind = sameDepth.filter((e) => propfindKind(e.request.body) === kind);
      const shaped =
        sameKind.length > 0
          ? sameKind
          : sameDepth.filter((e) => kind !== 'quota' && propfindKind(e.request.body) !== 'quota');
      const match = shaped.find((e) => e.request.headers.authorization === req.headers.authorization);
      if (!match) {
        return shaped.length === 0 && samePath.length === 0
          ? { status: 404, headers: { 'content-type': 'application/xml; charset=utf-8' }, body: '' }
          : {
              status: 401,
              headers: {
                'content-type': 'application/xml; charset=utf-8',
                'www-authenticate': 'Basic realm="ownCloud", charset="UTF-8"',
              },
              body: readResponse('public-webdav-pw-wrong').body,
            };
      }
      return replayed(match.response);
    }
    const match = samePath[0];
    return match
      ? replayed(match.response)
      : { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not in the capture' };
  };
  const replayed = (response: CapturedResponse): Answer => ({
    status: response.status,
    headers: Object.fromEntries(
      REPLAYED_HEADERS.filter((h) => h in response.headers).map((h) => [h, response.headers[h] ?? '']),
    ),
    body: response.body.split(capturedHost).join(host),
  });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: decodeURIComponent(url.pathname),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      const { status, headers, body } = answer(request);
      res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
      res.end(request.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${host}`,
    host,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
