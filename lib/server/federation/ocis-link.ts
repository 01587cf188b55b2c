import { XMLParser } from 'fast-xml-parser';
import type { Outbound } from './outbound';
import { RemoteError, basicAuth, boundedText, remoteFetch, remoteJson } from './fetch';

// Public links of Infinite Scale (oCIS) and OpenCloud. They differ from ownCloud 10 and Nextcloud links on the wire
// (recorded: test/fixtures/captures/opencloud-0.1.0, see the README there):
// * public WebDAV is `{base}/remote.php/dav/public-files/TOKEN/…`, the token in the path; a password goes as
//   Basic `public:PASSWORD` (the server's own web client's convention; the user name is not checked);
// * a file link is a collection holding that one file, and the root has no `oc:fileid` of its own;
// * tokeninfo/unprotected answers a password link exactly like an unknown one (statuscode 996): only the public
//   WebDAV tells them apart (401 = the link exists and wants a password, 404 = no such link).

const OCIS_PRODUCTS = ['Infinite Scale', 'OpenCloud'];

/** status.php of oCIS says productname "Infinite Scale", OpenCloud says "OpenCloud"; both have `productversion`. */
export function isOcisStatus(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const status = body as { productname?: unknown; product?: unknown };
  return OCIS_PRODUCTS.some((name) => status.productname === name || status.product === name);
}

/** The folder holding every link's WebDAV root; a link's root is this + token + '/'. */
export const publicFilesRoot = (base: string) => `${base}/remote.php/dav/public-files/`;

export const PUBLIC_USER = 'public';

/** Is this a WebDAV URL of an oCIS public link (whose Basic user is `public`, not the token as on ownCloud 10)? */
export function isPublicFilesUrl(davUrl: string): boolean {
  try {
    return new URL(davUrl).pathname.includes('/remote.php/dav/public-files/');
  } catch {
    return false;
  }
}

/** 'internal': a link for users logged in to its server (it wants a Bearer token), which no other server can read. */
type LinkState = 'open' | 'protected' | 'missing' | 'internal';

const TOKENINFO = '/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/';

/**
 * Whether the link exists and wants a password, without guessing one: tokeninfo first (statuscode 100 = an open
 * link); its 996 means "password link OR unknown", so then an anonymous PROPFIND decides, as the web client does.
 */
export async function ocisLinkState(outbound: Outbound, base: string, token: string): Promise<LinkState> {
  const info = await remoteJson(outbound, `${base}${TOKENINFO}${encodeURIComponent(token)}?format=json`, {
    headers: { Accept: 'application/json' },
  });
  const ocs = (
    info.body as {
      ocs?: {
        meta?: { statuscode?: unknown };
        data?: { token?: unknown; password_protected?: unknown; alias_link?: unknown };
      };
    } | null
  )?.ocs;
  const data = ocs?.data;
  if (
    info.status === 200 &&
    ocs?.meta?.statuscode === 100 &&
    data?.token === token &&
    data.password_protected !== true &&
    data.alias_link !== true
  )
    return 'open';
  const probe = await remoteFetch(outbound, `${publicFilesRoot(base)}${encodeURIComponent(token)}/`, {
    method: 'PROPFIND',
    headers: { Depth: '0', 'Content-Type': 'application/xml' },
    body: ROOT_PROPFIND,
  });
  const text = await boundedText(probe, 64 * 1024);
  if (probe.status === 207) return 'open';
  if (probe.status === 401) return text.includes('ERR_MISSING_BEARER_AUTH') ? 'internal' : 'protected';
  if (probe.status === 404) return 'missing';
  throw new RemoteError('bad-response', `Remote answered the link's WebDAV with HTTP ${probe.status}`);
}

const ROOT_PROPFIND =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">' +
  '<d:prop><d:resourcetype/><oc:fileid/><d:getcontentlength/></d:prop></d:propfind>';

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  isArray: (name) => name === 'response' || name === 'propstat',
  parseTagValue: false,
});

type OpenedLink = { ok: true; davUrl: string; itemType: 'file' | 'folder' } | { ok: false; status: number };

/**
 * Opens a link with its password and says where its content lives: the root for a folder link, the one file below
 * the root for a file link (a root without a file id of its own holding exactly one file, as the web client reads it).
 */
export async function openOcisLink(
  outbound: Outbound,
  base: string,
  token: string,
  password: string,
): Promise<OpenedLink> {
  const root = `${publicFilesRoot(base)}${encodeURIComponent(token)}/`;
  const response = await remoteFetch(outbound, root, {
    method: 'PROPFIND',
    body: ROOT_PROPFIND,
    headers: { Authorization: basicAuth(PUBLIC_USER, password), Depth: '1', 'Content-Type': 'application/xml' },
  });
  const text = await boundedText(response, 8 * 1024 * 1024);
  if (response.status !== 207) return { ok: false, status: response.status };
  const entries = rootListing(text, new URL(root).pathname);
  const self = entries.find((e) => e.name === '');
  if (!self) throw new RemoteError('bad-response', 'Remote answered without the link itself');
  const children = entries.filter((e) => e.name !== '');
  const only = children[0];
  if (!self.hasFileId && children.length === 1 && only && !only.isDir) {
    return { ok: true, davUrl: root + encodeURIComponent(only.name), itemType: 'file' };
  }
  return { ok: true, davUrl: root, itemType: 'folder' };
}

interface RootEntry {
  /** '' for the link root, else the child's name. */
  name: string;
  isDir: boolean;
  hasFileId: boolean;
}

function rootListing(xml: string, rootPath: string): RootEntry[] {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    throw new RemoteError('bad-response', 'Remote answered with garbage');
  }
  const responses = (doc as { multistatus?: { response?: unknown[] } } | null)?.multistatus?.response;
  if (!Array.isArray(responses)) throw new RemoteError('bad-response', 'Remote answered with garbage');
  const decodedRoot = decodeURIComponent(rootPath);
  const entries: RootEntry[] = [];
  for (const item of responses as Record<string, unknown>[]) {
    let path: string;
    try {
      const href = String(item.href ?? '');
      path = decodeURIComponent(href.startsWith('http') ? new URL(href).pathname : href);
    } catch {
      continue;
    }
    if (!path.startsWith(decodedRoot.replace(/\/$/, ''))) continue;
    const name = path.slice(decodedRoot.length).replace(/\/+$/, '');
    if (name.includes('/') || name === '.' || name === '..') continue;
    const ok = ((item.propstat ?? []) as Record<string, unknown>[]).find((ps) =>
      String(ps.status ?? '').includes(' 200'),
    );
    const prop = (ok?.prop ?? {}) as Record<string, unknown>;
    const isDir =
      typeof prop.resourcetype === 'object' && prop.resourcetype !== null && 'collection' in prop.resourcetype;
    const fileId = prop.fileid;
    entries.push({ name, isDir, hasFileId: typeof fileId === 'string' && fileId.trim() !== '' });
  }
  return entries;
}
