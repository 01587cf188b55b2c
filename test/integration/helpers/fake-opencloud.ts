import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ROOT } from './node';
import { decodeBasic, parseResponse, type CapturedResponse } from './captures';

// A fake OpenCloud 0.1.0 that answers with the responses a real one gave (test/fixtures/captures/opencloud-0.1.0,
// see the README there), for the captured links: a folder link, a file link and a password folder link. Requests the
// recording has no answer for get the answer the real server gives to an unknown path or token (404).

export const OPENCLOUD_CAPTURES = path.join(ROOT, 'test/fixtures/captures/opencloud-0.1.0');
const CAPTURED_HOST = '127.0.0.1:9200';

export const OC_LINKS = {
  folder: 'yDoZmSwPOPbklPP',
  file: 'wUfzLJmSrDBnUBl',
  password: 'WKAwGXTyWUDvHmv',
  internal: 'qsAISkYsDDXxKfc',
  unknown: 'NoSuchLinkHere',
} as const;
export const OC_PASSWORD = 'Secret-123!';

export function readOpenCloud(name: string): CapturedResponse {
  return parseResponse(readFileSync(path.join(OPENCLOUD_CAPTURES, `${name}.http`), 'utf8'));
}

/**
 * A Depth 0 answer for an item below a link, cut from the recorded Depth 1 listing of its folder (the recording has
 * Depth 0 of a child only for the file link): the same <d:response>, alone in the same multistatus. 404 if absent.
 */
function childAnswer(route: string): CapturedResponse {
  const [, capture = '', href = ''] = /^child:([^:]+):(.*)$/.exec(route) ?? [];
  const listing = readOpenCloud(capture);
  const responses = listing.body.match(/<d:response>.*?<\/d:response>/gs) ?? [];
  const wanted = href.replace(/\/$/, '');
  const found = responses.find(
    (r) => decodeURIComponent(/<d:href>(.*?)<\/d:href>/.exec(r)?.[1] ?? '').replace(/\/$/, '') === wanted,
  );
  if (!found) return readOpenCloud('public-dav-unknown');
  const open = listing.body.slice(0, listing.body.indexOf('<d:response>'));
  return { ...listing, body: `${open}${found}</d:multistatus>` };
}

export interface FakeOpenCloud {
  url: string;
  host: string;
  received: { method: string; path: string; authorization?: string }[];
  /** From now on the link is gone: tokeninfo 996, WebDAV 404 (as after the owner deleted it). */
  deleteLink(token: string): void;
  close(): Promise<void>;
}

const TOKENINFO = '/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/';
const PUBLIC_FILES = '/remote.php/dav/public-files/';

/**
 * The web app's shell that a full install serves for `/s/TOKEN` (the recorded server ran without the web UI, so this
 * is constructed, after opencloud-eu/web's index.html: the app root `#opencloud` and the runtime script; nothing in
 * it names the link). The extension's detector recognises the SPA by exactly these two.
 */
const SPA_SHELL =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>OpenCloud</title></head>' +
  '<body><div id="opencloud"></div><script type="module" src="/js/web-runtime.js"></script></body></html>';

export async function fakeOpenCloud(options: { host?: string } = {}): Promise<FakeOpenCloud> {
  const received: FakeOpenCloud['received'] = [];
  const deleted = new Set<string>();
  let host = '';

  /** Route names are capture names; `child:CAPTURE:HREF` is the one <d:response> of HREF from a Depth 1 capture. */
  const route = (
    method: string,
    urlPath: string,
    depth: string,
    authorization: string | undefined,
  ): string | undefined => {
    if (method === 'GET' && urlPath === '/status.php') return 'status';
    if (method === 'GET' && urlPath === '/.well-known/ocm') return 'well-known-ocm';
    if (method === 'GET' && urlPath.startsWith(TOKENINFO)) {
      const token = urlPath.slice(TOKENINFO.length);
      if (deleted.has(token)) return 'tokeninfo-deleted-json';
      if (token === OC_LINKS.folder) return 'tokeninfo-folder-json';
      if (token === OC_LINKS.file) return 'tokeninfo-file-json';
      if (token === OC_LINKS.internal) return 'tokeninfo-internal-json';
      return token === OC_LINKS.password ? 'tokeninfo-pw-json' : 'tokeninfo-unknown-json';
    }
    if (!urlPath.startsWith(PUBLIC_FILES)) return undefined;
    const [token = '', ...rest] = urlPath.slice(PUBLIC_FILES.length).split('/');
    const inner = rest.filter(Boolean).join('/');
    if (deleted.has(token)) return method === 'GET' ? 'public-dav-deleted-get' : 'public-dav-deleted';
    if (token === OC_LINKS.folder) {
      if (method === 'PROPFIND') {
        const own = {
          '': depth === '0' ? 'public-dav-folder-d0' : 'public-dav-folder-d1',
          sub: depth === '0' ? `child:public-dav-folder-d1:${urlPath}` : 'public-dav-folder-sub-d1',
        }[inner];
        return (
          own ?? `child:${inner.startsWith('sub/') ? 'public-dav-folder-sub-d1' : 'public-dav-folder-d1'}:${urlPath}`
        );
      }
      if (method === 'GET')
        return (
          { 'hello.txt': 'public-dav-folder-get', 'sub/deep.txt': 'public-dav-folder-get-deep' }[inner] ??
          'public-dav-folder-get-missing'
        );
    }
    if (token === OC_LINKS.file) {
      if (method === 'PROPFIND')
        return inner === ''
          ? depth === '0'
            ? 'public-dav-file-d0'
            : 'public-dav-file-d1'
          : 'public-dav-file-child-d0';
      // Any name below a file link serves the file: OpenCloud answered a GET of `other.txt` below the file link
      // with the same 200 and body as public-dav-file-get (recorded).
      if (method === 'GET') return 'public-dav-file-get';
    }
    if (token === OC_LINKS.internal) return 'public-dav-internal';
    if (token === OC_LINKS.password) {
      const credentials = decodeBasic(authorization);
      if (!credentials) return 'public-dav-pw-anon';
      if (credentials[1] !== OC_PASSWORD) return 'public-dav-pw-wrong';
      if (method === 'PROPFIND') return inner === '' ? 'public-dav-pw-ok' : `child:public-dav-pw-ok:${urlPath}`;
      if (method === 'GET' && inner === 'hello.txt') return 'public-dav-pw-get-ok';
    }
    return 'public-dav-unknown';
  };

  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      const urlPath = decodeURIComponent(url.pathname);
      const authorization = req.headers.authorization;
      received.push({ method: req.method ?? '', path: urlPath, authorization });
      if (req.method === 'GET' && /^\/s\/[A-Za-z0-9]+\/?$/.test(urlPath)) {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-length': String(Buffer.byteLength(SPA_SHELL)),
        });
        res.end(SPA_SHELL);
        return;
      }
      const name = route(req.method ?? '', urlPath, String(req.headers.depth ?? '1'), authorization);
      // Everything else: the proxy's plain 404 (recorded as ocs-provider, ocm-provider, public.php …).
      const answer = name?.startsWith('child:') ? childAnswer(name) : readOpenCloud(name ?? 'ocs-provider');
      const body = answer.body.split(CAPTURED_HOST).join(host);
      const headers: Record<string, string> = { 'content-length': String(Buffer.byteLength(body)) };
      for (const h of ['content-type', 'etag', 'last-modified', 'accept-ranges', 'www-authenticate']) {
        const value = answer.headers[h];
        if (value) headers[h] = value;
      }
      res.writeHead(answer.status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  const address = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  host = `${address}:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${host}`,
    host,
    received,
    deleteLink: (token) => deleted.add(token),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
