import { XMLParser } from 'fast-xml-parser';
import { escapeXml } from '../views/escape';
import type { DavEntry } from './space';

// Built as a string on purpose: a PROPFIND over 10,000 entries must stay fast, and the shape is fixed. Every value that
// comes from a file name or the remote goes through escapeXml.

const DAV = 'DAV:';
const OC = 'http://owncloud.org/ns';
const OCS = 'http://open-collaboration-services.org/ns';
const PREFIXES: Record<string, string> = { [DAV]: 'd', [OC]: 'oc', 'http://sabredav.org/ns': 's' };

export function encodeHref(segments: readonly string[]): string {
  return segments.map((s) => encodeURIComponent(s)).join('/');
}

/**
 * The properties a PROPFIND body asks for, as Clark names (`{DAV:}getetag`), or `undefined` for "all properties":
 * no body, `<d:allprop/>`, `<d:propname/>` or an empty `<d:prop/>` (Sabre treats an empty list as allprop too).
 * Prefixes are resolved through the xmlns declarations in scope, so `<x:permissions xmlns:x="http://owncloud.org/ns"/>`
 * and `<oc:permissions/>` are the same property.
 */
export function requestedProperties(body: string): string[] | undefined {
  if (body.trim() === '') return undefined;
  type XmlNode = Record<string, unknown>;
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, processEntities: false });
  const tagOf = (node: XmlNode) => Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  const scopeOf = (node: XmlNode, parent: Record<string, string>) => {
    const scope = { ...parent };
    for (const [name, value] of Object.entries((node[':@'] ?? {}) as Record<string, string>)) {
      if (name === 'xmlns') scope[''] = value;
      else if (name.startsWith('xmlns:')) scope[name.slice(6)] = value;
    }
    return scope;
  };
  const clark = (tag: string, scope: Record<string, string>) => {
    const colon = tag.indexOf(':');
    const prefix = colon < 0 ? '' : tag.slice(0, colon);
    return `{${scope[prefix] ?? ''}}${colon < 0 ? tag : tag.slice(colon + 1)}`;
  };
  const children = (node: XmlNode, tag: string) => (Array.isArray(node[tag]) ? node[tag] as XmlNode[] : []).filter((c) => tagOf(c) !== undefined);
  const root = (parser.parse(body) as XmlNode[]).find((n) => tagOf(n) !== undefined && !tagOf(n)?.startsWith('?'));
  const rootTag = root && tagOf(root);
  if (!root || !rootTag) return undefined;
  const rootScope = scopeOf(root, {});
  if (clark(rootTag, rootScope) !== `{${DAV}}propfind`) return undefined;
  for (const child of children(root, rootTag)) {
    const tag = tagOf(child) ?? '';
    const scope = scopeOf(child, rootScope);
    if (clark(tag, scope) !== `{${DAV}}prop`) continue;
    const names = children(child, tag).map((p) => clark(tagOf(p) ?? '', scopeOf(p, scope)));
    return names.length > 0 ? [...new Set(names)] : undefined;
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

/** All properties of an entry, in the order of an allprop answer, keyed by Clark name. */
function properties(entry: DavEntry, instanceId: string, folderSize?: number): [string, string][] {
  const id = `${String(entry.fileId).padStart(8, '0')}${instanceId}`;
  const size = entry.isDir ? (folderSize ?? entry.size) : entry.size;
  const props: [string, string][] = [
    [`{${DAV}}getlastmodified`, `<d:getlastmodified>${entry.mtime.toUTCString()}</d:getlastmodified>`],
    [`{${DAV}}getetag`, `<d:getetag>&quot;${escapeXml(entry.etag)}&quot;</d:getetag>`],
  ];
  if (entry.sharePermissions !== undefined) {
    props.push([`{${OCS}}share-permissions`, `<x1:share-permissions xmlns:x1="${OCS}">${entry.sharePermissions}</x1:share-permissions>`]);
  }
  props.push(
    [`{${OC}}id`, `<oc:id>${id}</oc:id>`], [`{${OC}}fileid`, `<oc:fileid>${entry.fileId}</oc:fileid>`],
    [`{${OC}}permissions`, `<oc:permissions>${escapeXml(entry.ocPermissions)}</oc:permissions>`], [`{${OC}}size`, `<oc:size>${size}</oc:size>`],
  );
  if (entry.isDir) {
    props.push(
      [`{${DAV}}resourcetype`, '<d:resourcetype><d:collection/></d:resourcetype>'],
      [`{${DAV}}quota-used-bytes`, `<d:quota-used-bytes>${size}</d:quota-used-bytes>`],
      [`{${DAV}}quota-available-bytes`, '<d:quota-available-bytes>-3</d:quota-available-bytes>'],
    );
  } else {
    props.push(
      [`{${DAV}}resourcetype`, '<d:resourcetype/>'], [`{${DAV}}getcontentlength`, `<d:getcontentlength>${entry.size}</d:getcontentlength>`],
      [`{${DAV}}getcontenttype`, `<d:getcontenttype>${escapeXml(entry.mime)}</d:getcontenttype>`],
    );
  }
  return props;
}

const propstat = (props: string, status: string) => `<d:propstat><d:prop>${props}</d:prop><d:status>HTTP/1.1 ${status}</d:status></d:propstat>`;

/**
 * One `<d:response>`. Without `requested` (allprop) it carries every property we have; with a property list it answers
 * like Sabre: the known ones in request order with 200, the others (unknown, or not applicable such as
 * getcontentlength on a folder) as empty elements in a 404 propstat.
 */
export function responseXml(href: string, entry: DavEntry, instanceId: string, folderSize?: number, requested?: readonly string[]): string {
  const props = properties(entry, instanceId, folderSize);
  if (!requested) return `<d:response><d:href>${escapeXml(href)}</d:href>${propstat(props.map(([, xml]) => xml).join(''), '200 OK')}</d:response>`;
  const known = new Map(props);
  let found = '';
  let missing = '';
  requested.forEach((name, index) => {
    const xml = known.get(name);
    if (xml !== undefined) found += xml;
    else missing += emptyElement(name, index + 2);
  });
  return `<d:response><d:href>${escapeXml(href)}</d:href>${found ? propstat(found, '200 OK') : ''}${missing ? propstat(missing, '404 Not Found') : ''}</d:response>`;
}

export function multistatus(responses: string[]): string {
  return `<?xml version="1.0"?>\n<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns">${responses.join('')}</d:multistatus>`;
}
