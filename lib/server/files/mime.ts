import path from 'node:path';

export const FOLDER_MIME = 'httpd/unix-directory';

const TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  '.js': 'application/javascript',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.csv': 'text/csv',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function mimeOf(name: string): string {
  return TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Types a browser would run as a document or script (HTML, XHTML, SVG, any XML, which can carry XHTML or an
 * XSLT, and JavaScript). Files of these types are never sent with their type, whatever their extension or
 * whatever a remote server claims.
 */
const ACTIVE = [
  /^text\/html$/,
  /^(text|application)\/xml$/,
  /^[a-z]+\/[a-z0-9.-]+\+xml$/, // XHTML, SVG, XSLT, RSS, …
  /^(text|application)\/(x-)?(java|ecma)script$/,
  /^text\/xsl$/,
];

export function isActiveType(mime: string): boolean {
  const essence = mime.split(';')[0]?.trim().toLowerCase() ?? '';
  return ACTIVE.some((pattern) => pattern.test(essence));
}

/**
 * The Content-Type of a file download: our own guess from the name (never a remote's header), with active types
 * turned into application/octet-stream so no browser renders them, whatever else goes wrong.
 */
export function downloadTypeOf(name: string): string {
  const mime = mimeOf(name);
  return isActiveType(mime) ? 'application/octet-stream' : mime;
}

/** A remote's getcontenttype, kept only if it is a well-formed type/subtype (it is shown, never sent as a header). */
export function wellFormedMime(value: string): string | undefined {
  const mime = value.trim();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i.test(mime) && mime.length <= 255
    ? mime
    : undefined;
}
