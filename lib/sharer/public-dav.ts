import { XMLParser } from 'fast-xml-parser';
import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';
import { PERMISSION_CREATE } from '@/lib/permissions';
import { failWith, InstanceError } from '@/lib/instance/errors';
import type { ShareUrl } from '@/lib/share/types';
import { SHARER_PUBLIC_DAV_MS } from '@/lib/timeouts';
import { linkFailure, passwordFailure, serverFailure } from './failure';
import type { ShareInfo } from './shareinfo';
import type { SharerAnswer, SharerCall, SpaConfirmation } from './types';

/**
 * The public WebDAV of an Infinite Scale / OpenCloud link, `{base}/remote.php/dav/public-files/TOKEN/`: the one
 * anonymous answer that tells a password link from an unknown one (tokeninfo answers both with 996), and the only
 * place a file link shows it is one. Read the way the server's own web client reads it (opencloud-eu/web,
 * resolvePublicLink.vue; recorded: test/fixtures/captures/opencloud-0.1.0):
 * - 207: the link opens (with the password given, if any);
 * - 401 with ERR_MISSING_BASIC_AUTH: it exists and wants a password; 401 after a password: the password is wrong;
 *   401 with ERR_MISSING_BEARER_AUTH: an internal link, for the owner's logged-in users only;
 * - 404: no such link (unknown, deleted or expired);
 * - a root without a file id of its own holding exactly one file is a file link (the root says "folder" either way).
 */
function publicDavUrl(origin: string, basePath: string, token: string): string {
  return `${origin}${basePath}/remote.php/dav/public-files/${encodeURIComponent(token)}/`;
}

const PUBLIC_DAV_PROPFIND = `<?xml version="1.0" encoding="UTF-8"?>
<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">
  <d:prop><d:resourcetype/><oc:fileid/><oc:public-link-permission/></d:prop>
</d:propfind>`;

/** The web client's header for a link password: the user is `public` (the server checks only the password). */
export function publicLinkAuth(password: string): string {
  return `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`public:${password}`)))}`;
}

/**
 * The link's own WebDAV, anonymously or with the link password as the web client sends it (Basic public:PW,
 * pre-emptively: the server's 401 has no challenge). No cookies.
 */
export function publicDavCall(url: ShareUrl, password: string, depth: 0 | 1): SharerCall {
  return {
    url: publicDavUrl(url.origin, url.basePath, url.token),
    init: {
      method: 'PROPFIND',
      credentials: 'omit',
      headers: {
        Depth: String(depth === 1 ? 1 : 0),
        'Content-Type': 'application/xml; charset=utf-8',
        ...(password && { Authorization: publicLinkAuth(password) }),
      },
      body: PUBLIC_DAV_PROPFIND,
    },
    timeoutMs: SHARER_PUBLIC_DAV_MS,
  };
}

const isInternalLink = (answer: SharerAnswer) => answer.body.includes('ERR_MISSING_BEARER_AUTH');

/** tokeninfo could not tell (996): the anonymous PROPFIND (Depth 0) decides whether the tab shows a real link. */
export function confirmByPublicDav(answer: SharerAnswer): SpaConfirmation {
  if (answer.status === 207) return { confirmed: true, isProtected: false };
  if (answer.status === 401 && !isInternalLink(answer)) return { confirmed: true, isProtected: true };
  if (answer.status === 401) return { confirmed: false, reason: 'internal-link' };
  if (answer.status === 404) return { confirmed: false, reason: 'unknown-link' };
  return { confirmed: false, reason: answer.status === 0 ? 'unreachable' : 'bad-response' };
}

export interface LinkRoot {
  /** The root has a file id of its own: a folder link. Without one it is a file link's wrapper. */
  hasFileId: boolean;
  /** Create-only (file drop): nothing to read. */
  isFileDrop: boolean;
  /** Children (Depth 1 only): name and whether it is a folder. */
  children: { name: string; isDir: boolean }[];
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  isArray: (name) => name === 'response' || name === 'propstat',
  parseTagValue: false,
});

/**
 * The sharer's word on an oCIS link for an add (the counterpart of shareinfo on ownCloud / Nextcloud): it opens with
 * this password, and it is a folder or one file. Throws the problem a refusal means; `sharer` names its server.
 */
export function interpretPublicDav(answer: SharerAnswer, passwordGiven: boolean, sharer: string): LinkRoot {
  // 401 is this endpoint's own: an internal link (for the owner's logged-in users), or the link password.
  if (answer.status === 401)
    throw isInternalLink(answer)
      ? failWith('rejected', { code: 'sharer-cannot-federate', server: sharer }, 401)
      : passwordFailure(401, passwordGiven);
  const failure = serverFailure(answer.status) ?? linkFailure(answer.status, sharer, passwordGiven);
  if (failure) throw failure;
  if (answer.status !== 207) throw new InstanceError('bad-response', undefined, answer.status);
  const root = readListing(answer.body);
  if (!root) throw new InstanceError('bad-response', undefined, answer.status);
  if (root.isFileDrop) throw failWith('rejected', { code: 'link-is-file-drop' });
  return root;
}

/**
 * What the add mounts: a folder link under its token (no anonymous answer names the folder, and the server itself
 * names the root by the token; the page is not trusted for it), a file link as its one file. 'list-children' when a
 * Depth 0 answer cannot tell (a root without a file id: ask Depth 1).
 */
export function shareInfoOf(root: LinkRoot, token: string): ShareInfo | 'list-children' {
  const folder = { name: token, isFolder: true };
  if (root.hasFileId) return folder;
  if (root.children.length === 0) return 'list-children';
  const [only] = root.children;
  return root.children.length === 1 && only && !only.isDir ? { name: only.name, isFolder: false } : folder;
}

/** The parsed multistatus (namespaces removed, every `response` and `propstat` a list), read field by field. */
const Multistatus = v.object({ multistatus: v.object({ response: v.pipe(v.array(v.unknown()), v.nonEmpty()) }) });
const DavResponse = v.object({ href: v.optional(v.unknown()), propstat: v.optional(v.array(v.unknown()), []) });
const DavPropStat = v.object({ status: v.optional(v.unknown()), prop: v.optional(v.unknown()) });
const DavProp = v.object({
  resourcetype: v.optional(v.unknown()),
  fileid: v.optional(v.unknown()),
  'public-link-permission': v.optional(v.unknown()),
});

function readListing(xml: string): LinkRoot | undefined {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    return undefined;
  }
  const responses = readAnswer(Multistatus, doc)?.multistatus.response;
  if (!responses) return undefined;
  const items = responses.map((entry) => {
    const item = readAnswer(DavResponse, entry) ?? { href: undefined, propstat: [] };
    const ok = item.propstat
      .map((ps) => readAnswer(DavPropStat, ps))
      .find((ps) => String(ps?.status ?? '').includes(' 200'));
    const prop = readAnswer(DavProp, ok?.prop) ?? {};
    let path = '';
    try {
      path = decodeURIComponent(String(item.href ?? ''));
    } catch {
      /* an undecodable name is skipped below */
    }
    return {
      name: path.replace(/\/+$/, '').split('/').at(-1) ?? '',
      isDir: typeof prop.resourcetype === 'object' && prop.resourcetype !== null && 'collection' in prop.resourcetype,
      hasFileId: typeof prop.fileid === 'string' && prop.fileid.trim() !== '',
      permission: String(prop['public-link-permission'] ?? ''),
    };
  });
  const [root, ...children] = items;
  if (!root) return undefined;
  return {
    hasFileId: root.hasFileId,
    isFileDrop: root.permission === String(PERMISSION_CREATE),
    children: children.filter((c) => c.name !== '').map(({ name, isDir }) => ({ name, isDir })),
  };
}
