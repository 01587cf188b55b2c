import { XMLParser } from 'fast-xml-parser';
import type { Entry } from '../files/tree';
import { FOLDER_MIME, mimeOf, wellFormedMime } from '../files/mime';
import type { ExternalShare } from '../store/types';
import { candidateBases } from './cloud-id';
import { RemoteError, basicAuth, boundedText, remoteFetch } from './fetch';
import { PUBLIC_USER, isPublicFilesUrl } from './ocis-link';
import type { Outbound } from './outbound';

// Reads a mounted share through the remote's public WebDAV (link token + password, or the OCM shared secret as user).

const PROPFIND_BODY =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<d:propfind xmlns:d="DAV:"><d:prop>' +
  '<d:getlastmodified/><d:getcontentlength/><d:getcontenttype/><d:resourcetype/><d:getetag/>' +
  '</d:prop></d:propfind>';

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  isArray: (name) => name === 'response' || name === 'propstat',
  parseTagValue: false,
});

export interface RemoteEntry extends Entry {
  /** Path segments relative to the share root. */
  segments: string[];
}

interface DavCredentials {
  davUrl: string;
  user: string;
  password: string;
}

/**
 * How to read a mounted share; its WebDAV URL must lie on the share's remote (rows stored by older versions may
 * not).
 */
export function credentialsOf(share: ExternalShare): DavCredentials {
  const origins = candidateBases(share.remote).map((base) => new URL(base).origin);
  if (!origins.includes(new URL(share.davUrl).origin))
    throw new RemoteError('refused', `Remote is not allowed: the share's WebDAV URL is not on ${share.remote}`);
  // oCIS/OpenCloud links carry the token in the URL and take the password as user `public` (ocis-link.ts).
  const user = isPublicFilesUrl(share.davUrl) ? PUBLIC_USER : share.shareToken;
  return { davUrl: share.davUrl, user, password: share.password };
}

function remoteUrl(creds: DavCredentials, segments: readonly string[]): string {
  return creds.davUrl + segments.map(encodeURIComponent).join('/');
}

/** PROPFIND on the remote; 401/403/404 come back as a status so callers can tell "wrong password" from "down". */
export async function remotePropfind(
  outbound: Outbound,
  creds: DavCredentials,
  segments: readonly string[],
  depth: 0 | 1,
): Promise<{ status: number; entries: RemoteEntry[] }> {
  const response = await remoteFetch(outbound, remoteUrl(creds, segments), {
    method: 'PROPFIND',
    body: PROPFIND_BODY,
    headers: {
      Authorization: basicAuth(creds.user, creds.password),
      Depth: String(depth),
      'Content-Type': 'application/xml',
    },
  });
  const text = await boundedText(response, 32 * 1024 * 1024);
  if (response.status !== 207) return { status: response.status, entries: [] };
  // Hrefs are compared decoded: a file link's URL ends in the file's (encoded) name.
  return { status: 207, entries: parseMultistatus(text, decodeURIComponent(new URL(creds.davUrl).pathname)) };
}

function parseMultistatus(xml: string, basePath: string): RemoteEntry[] {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    throw new RemoteError('bad-response', 'Remote answered with garbage');
  }
  const responses = (doc as { multistatus?: { response?: unknown[] } })?.multistatus?.response;
  if (!Array.isArray(responses)) throw new RemoteError('bad-response', 'Remote answered with garbage');
  const entries: RemoteEntry[] = [];
  for (const item of responses as Record<string, unknown>[]) {
    const href = String(item.href ?? '');
    let path: string;
    try {
      path = decodeURIComponent(href.startsWith('http') ? new URL(href).pathname : href);
    } catch {
      continue;
    }
    const rel = path.startsWith(basePath) ? path.slice(basePath.length) : path.replace(/^\/+/, '');
    const segments = rel.split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
    const ok = ((item.propstat ?? []) as Record<string, unknown>[]).find((ps) =>
      String(ps.status ?? '').includes(' 200'),
    );
    const prop = (ok?.prop ?? {}) as Record<string, unknown>;
    const isDir =
      typeof prop.resourcetype === 'object' && prop.resourcetype !== null && 'collection' in prop.resourcetype;
    const name = segments.at(-1) ?? '';
    const mtime = new Date(String(prop.getlastmodified ?? ''));
    entries.push({
      segments,
      name,
      isDir,
      size: isDir ? 0 : Number(prop.getcontentlength ?? 0) || 0,
      mtime: Number.isNaN(mtime.getTime()) ? new Date(0) : mtime,
      etag: String(prop.getetag ?? '').replace(/"/g, ''),
      fileId: 0,
      mime: isDir ? FOLDER_MIME : (wellFormedMime(String(prop.getcontenttype ?? '')) ?? mimeOf(name)),
    });
  }
  return entries;
}

/**
 * GET on the remote; the body streams for as long as data keeps coming (the timeout is on silence, see
 * outbound.ts).
 */
export async function remoteGet(
  outbound: Outbound,
  creds: DavCredentials,
  segments: readonly string[],
  range: string | undefined,
): Promise<Response> {
  // The bytes as stored: fetch would decode a compressed answer, which then no longer matches the remote's
  // Content-Length (servers such as Apache with mod_deflate compress text files unless asked not to).
  const headers: Record<string, string> = {
    Authorization: basicAuth(creds.user, creds.password),
    'Accept-Encoding': 'identity',
  };
  if (range) headers.Range = range;
  return remoteFetch(outbound, remoteUrl(creds, segments), { method: 'GET', headers });
}

/**
 * The headers of a remote's file answer that we pass on: sizes, ranges and validators only. Content-Type,
 * Content-Disposition, CSP, Set-Cookie and the rest stay behind; the caller adds our own user-content headers, so a
 * sharer cannot make its file render (and run script) as our origin.
 */
export function passThroughHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  // fetch() decodes a compressed body, so the remote's length would be the compressed one.
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  for (const name of encoded
    ? ['etag', 'last-modified']
    : ['content-length', 'content-range', 'etag', 'last-modified', 'accept-ranges']) {
    const value = response.headers.get(name);
    if (value) headers[name] = value;
  }
  return headers;
}
