import { escapeXml } from '../views/escape';
import type { DavEntry } from './space';

// Built as a string on purpose: a PROPFIND over 10,000 entries must stay fast, and the shape is fixed. Every value that
// comes from a file name or the remote goes through escapeXml.

export function encodeHref(segments: readonly string[]): string {
  return segments.map((s) => encodeURIComponent(s)).join('/');
}

export function responseXml(href: string, entry: DavEntry, instanceId: string, folderSize?: number): string {
  const id = `${String(entry.fileId).padStart(8, '0')}${instanceId}`;
  const size = entry.isDir ? (folderSize ?? entry.size) : entry.size;
  const common = `<d:getlastmodified>${entry.mtime.toUTCString()}</d:getlastmodified><d:getetag>&quot;${escapeXml(entry.etag)}&quot;</d:getetag>`
    + (entry.sharePermissions === undefined ? '' : `<x1:share-permissions xmlns:x1="http://open-collaboration-services.org/ns">${entry.sharePermissions}</x1:share-permissions>`)
    + `<oc:id>${id}</oc:id><oc:fileid>${entry.fileId}</oc:fileid><oc:permissions>${escapeXml(entry.ocPermissions)}</oc:permissions><oc:size>${size}</oc:size>`;
  const kind = entry.isDir
    ? `<d:resourcetype><d:collection/></d:resourcetype><d:quota-used-bytes>${size}</d:quota-used-bytes><d:quota-available-bytes>-3</d:quota-available-bytes>`
    : `<d:resourcetype/><d:getcontentlength>${entry.size}</d:getcontentlength><d:getcontenttype>${escapeXml(entry.mime)}</d:getcontenttype>`;
  return `<d:response><d:href>${escapeXml(href)}</d:href><d:propstat><d:prop>${common}${kind}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
}

export function multistatus(responses: string[]): string {
  return `<?xml version="1.0"?>\n<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns">${responses.join('')}</d:multistatus>`;
}
