import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { HttpError } from '../http/errors';
import { escapeXml } from '../views/escape';
import { PROPFIND_MAX_PROPERTIES, PROPFIND_MAX_PROPERTY_NAME_BYTES, PROPFIND_MAX_TAGS } from './limits';
import type { DavEntry } from './space';

// Built as strings on purpose: a PROPFIND over 10,000 entries must stay fast, and the shape is fixed. The answer is
// written entry by entry (handler.ts), so only one batch of entries is ever in memory as XML. Every value that comes
// from a file name or the remote goes through escapeXml.

const DAV = 'DAV:';
const OC = 'http://owncloud.org/ns';
const OCS = 'http://open-collaboration-services.org/ns';
const PREFIXES: Record<string, string> = { [DAV]: 'd', [OC]: 'oc', 'http://sabredav.org/ns': 's' };

export const MULTISTATUS_OPEN =
  '<?xml version="1.0"?>\n' +
  '<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns">';
export const MULTISTATUS_CLOSE = '</d:multistatus>';

export function encodeHref(segments: readonly string[]): string {
  return segments.map((s) => encodeURIComponent(s)).join('/');
}

function countTags(text: string): number {
  let tags = 0;
  for (let at = text.indexOf('<'); at >= 0; at = text.indexOf('<', at + 1)) tags++;
  return tags;
}

/**
 * The properties a PROPFIND body asks for, as Clark names (`{DAV:}getetag`), or `undefined` for "all properties":
 * no body, `<d:allprop/>`, `<d:propname/>` or an empty `<d:prop/>` (Sabre treats an empty list as allprop too).
 * Prefixes are resolved through the xmlns declarations in scope, so `<x:permissions xmlns:x="http://owncloud.org/ns"/>`
 * and `<oc:permissions/>` are the same property.
 *
 * Refused with 400: malformed XML, any DTD (`<!DOCTYPE`, `<!ENTITY`: entities are never expanded, so there is no XXE
 * or entity expansion), and more tags or properties than the limits in limits.ts.
 */
export function requestedProperties(body: string): string[] | undefined {
  if (body.trim() === '') return undefined;
  if (/<!(DOCTYPE|ENTITY)/i.test(body))
    throw new HttpError(400, 'The request body must not contain a DTD (<!DOCTYPE or <!ENTITY)');
  if (countTags(body) > PROPFIND_MAX_TAGS)
    throw new HttpError(400, `A PROPFIND body may have at most ${PROPFIND_MAX_TAGS} tags`);
  if (XMLValidator.validate(body) !== true) throw new HttpError(400, 'The request body is not valid XML');
  type XmlNode = Record<string, unknown>;
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    processEntities: false,
  });
  const tagOf = (node: XmlNode) => Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  // A node's namespace scope is its own xmlns declarations plus its parent's scope, linked rather than copied: copying
  // let 64 KiB of declarations and elements cost seconds.
  type Scope = { prefixes: Map<string, string>; parent?: Scope };
  const scopeOf = (node: XmlNode, parent?: Scope): Scope => {
    const prefixes = new Map<string, string>();
    for (const [name, value] of Object.entries((node[':@'] ?? {}) as Record<string, string>)) {
      if (name === 'xmlns') prefixes.set('', value);
      else if (name.startsWith('xmlns:')) prefixes.set(name.slice(6), value);
    }
    return prefixes.size > 0 || !parent ? { prefixes, parent } : parent;
  };
  const clark = (tag: string, scope: Scope) => {
    const colon = tag.indexOf(':');
    const prefix = colon < 0 ? '' : tag.slice(0, colon);
    let ns: string | undefined;
    for (let s: Scope | undefined = scope; ns === undefined && s; s = s.parent) ns = s.prefixes.get(prefix);
    return `{${ns ?? ''}}${colon < 0 ? tag : tag.slice(colon + 1)}`;
  };
  const children = (node: XmlNode, tag: string) =>
    (Array.isArray(node[tag]) ? (node[tag] as XmlNode[]) : []).filter((c) => tagOf(c) !== undefined);
  let parsed: XmlNode[];
  try {
    parsed = parser.parse(body) as XmlNode[];
  } catch {
    throw new HttpError(400, 'The request body is not valid XML');
  }
  const root = parsed.find((n) => tagOf(n) !== undefined && !tagOf(n)?.startsWith('?'));
  const rootTag = root && tagOf(root);
  if (!root || !rootTag) return undefined;
  const rootScope = scopeOf(root);
  if (clark(rootTag, rootScope) !== `{${DAV}}propfind`) return undefined;
  for (const child of children(root, rootTag)) {
    const tag = tagOf(child) ?? '';
    const scope = scopeOf(child, rootScope);
    if (clark(tag, scope) !== `{${DAV}}prop`) continue;
    const names = [...new Set(children(child, tag).map((p) => clark(tagOf(p) ?? '', scopeOf(p, scope))))];
    if (names.length > PROPFIND_MAX_PROPERTIES) {
      throw new HttpError(400, `A PROPFIND may ask for at most ${PROPFIND_MAX_PROPERTIES} properties`);
    }
    if (names.reduce((sum, name) => sum + Buffer.byteLength(name), 0) > PROPFIND_MAX_PROPERTY_NAME_BYTES) {
      throw new HttpError(
        400,
        `The requested property names may be at most ${PROPFIND_MAX_PROPERTY_NAME_BYTES} bytes together`,
      );
    }
    return names.length > 0 ? names : undefined;
  }
  return undefined;
}

/** An empty element for a property we do not have (404 propstat), with its namespace declared if needed. */
function emptyElement(name: string, index: number): string {
  const close = name.indexOf('}');
  const ns = name.slice(1, close);
  const local = name.slice(close + 1);
  const prefix = PREFIXES[ns];
  if (prefix) return `<${prefix}:${local}/>`;
  return ns === '' ? `<${local} xmlns=""/>` : `<x${index}:${local} xmlns:x${index}="${escapeXml(ns)}"/>`;
}

/** escapeXml, skipping the replace for the common text that needs none. */
const NEEDS_ESCAPE = /[&<>"']/;
const xmlText = (text: string) => (NEEDS_ESCAPE.test(text) ? escapeXml(text) : text);

/** Date.toUTCString, remembering the last second: files of one folder often share their modification second. */
let lastSecond = NaN;
let lastHttpDate = '';
function httpDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastHttpDate = date.toUTCString();
  }
  return lastHttpDate;
}

interface Property {
  name: string;
  /** Whether the entry has this property at all (getcontentlength is a file's, quota-* a folder's). */
  has(entry: DavEntry): boolean;
  xml(entry: DavEntry, instanceId: string): string;
}

const always = () => true;
const isDir = (entry: DavEntry) => entry.isDir;
const isFile = (entry: DavEntry) => !entry.isDir;

/**
 * Every property we have, in the order of an allprop answer. A folder's `size` is its folder size (the sum of its
 * files, recursively), which the caller fills in.
 */
const PROPERTIES: Property[] = [
  {
    name: `{${DAV}}getlastmodified`,
    has: always,
    xml: (e) => `<d:getlastmodified>${httpDate(e.mtime)}</d:getlastmodified>`,
  },
  { name: `{${DAV}}getetag`, has: always, xml: (e) => `<d:getetag>&quot;${xmlText(e.etag)}&quot;</d:getetag>` },
  {
    name: `{${OCS}}share-permissions`,
    has: (e) => e.sharePermissions !== undefined,
    xml: (e) => `<x1:share-permissions xmlns:x1="${OCS}">${e.sharePermissions ?? ''}</x1:share-permissions>`,
  },
  {
    name: `{${OC}}id`,
    has: always,
    xml: (e, instanceId) => `<oc:id>${String(e.fileId).padStart(8, '0')}${instanceId}</oc:id>`,
  },
  { name: `{${OC}}fileid`, has: always, xml: (e) => `<oc:fileid>${e.fileId}</oc:fileid>` },
  {
    name: `{${OC}}permissions`,
    has: always,
    xml: (e) => `<oc:permissions>${xmlText(e.ocPermissions)}</oc:permissions>`,
  },
  { name: `{${OC}}size`, has: always, xml: (e) => `<oc:size>${e.size}</oc:size>` },
  {
    name: `{${DAV}}resourcetype`,
    has: always,
    xml: (e) => (e.isDir ? '<d:resourcetype><d:collection/></d:resourcetype>' : '<d:resourcetype/>'),
  },
  { name: `{${DAV}}quota-used-bytes`, has: isDir, xml: (e) => `<d:quota-used-bytes>${e.size}</d:quota-used-bytes>` },
  {
    name: `{${DAV}}quota-available-bytes`,
    has: isDir,
    xml: () => '<d:quota-available-bytes>-3</d:quota-available-bytes>',
  },
  { name: `{${DAV}}getcontentlength`, has: isFile, xml: (e) => `<d:getcontentlength>${e.size}</d:getcontentlength>` },
  {
    name: `{${DAV}}getcontenttype`,
    has: isFile,
    xml: (e) => `<d:getcontenttype>${xmlText(e.mime)}</d:getcontenttype>`,
  },
];
const BY_NAME = new Map(PROPERTIES.map((p) => [p.name, p]));

const propstat = (props: string, status: string) =>
  `<d:propstat><d:prop>${props}</d:prop><d:status>HTTP/1.1 ${status}</d:status></d:propstat>`;

/** What to write for one kind of entry (file or folder, with or without share permissions), once per request. */
interface Plan {
  found: Property[];
  /** The 404 propstat, the same for every entry of this kind. */
  missing: string;
}

function planFor(sample: DavEntry, requested: readonly string[] | undefined): Plan {
  if (!requested) return { found: PROPERTIES.filter((p) => p.has(sample)), missing: '' };
  const found: Property[] = [];
  let missing = '';
  requested.forEach((name, index) => {
    const property = BY_NAME.get(name);
    if (property?.has(sample)) found.push(property);
    else missing += emptyElement(name, index + 2);
  });
  return { found, missing: missing ? propstat(missing, '404 Not Found') : '' };
}

/**
 * Renders `<d:response>` elements for one PROPFIND. Without `requested` (allprop) each carries every property we have;
 * with a property list it answers like Sabre: the known ones in request order with 200, the others (unknown, or not
 * applicable such as getcontentlength on a folder) as empty elements in a 404 propstat.
 */
export function responseRenderer(
  requested: readonly string[] | undefined,
  instanceId: string,
): (href: string, entry: DavEntry) => string {
  const plans = new Map<string, Plan>();
  return (href, entry) => {
    const kind = `${entry.isDir}:${entry.sharePermissions !== undefined}`;
    let plan = plans.get(kind);
    if (!plan) plans.set(kind, (plan = planFor(entry, requested)));
    let found = '';
    for (const property of plan.found) found += property.xml(entry, instanceId);
    const ok = found ? propstat(found, '200 OK') : '';
    return `<d:response><d:href>${xmlText(href)}</d:href>${ok}${plan.missing}</d:response>`;
  };
}
