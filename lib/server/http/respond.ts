import type { ServerResponse } from 'node:http';
import { escapeXml } from '../views/escape';

const NO_CACHE = 'no-cache, no-store, must-revalidate';

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': NO_CACHE,
  });
  res.end(body);
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/html; charset=UTF-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': NO_CACHE,
    // Only our own static script and stylesheet apply (nothing inline), so an escaping bug cannot become XSS or a
    // restyled page. Browsers exempt extensions' own styles (the "Add to your cloud" button's shadow root).
    'Content-Security-Policy':
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
      "frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'SAMEORIGIN',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(html);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
}

/** 303 like ownCloud's redirects after form posts. */
export function redirect(res: ServerResponse, location: string, status = 303): void {
  res.writeHead(status, {
    Location: location,
    'Content-Type': 'text/html; charset=UTF-8',
    'Content-Length': 0,
    'Cache-Control': NO_CACHE,
  });
  res.end();
}

/** Sabre-style WebDAV error body. */
export function sendDavError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const exception = DAV_EXCEPTIONS[status] ?? 'Sabre\\DAV\\Exception';
  const body =
    '<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n' +
    `  <s:exception>${escapeXml(exception)}</s:exception>\n` +
    `  <s:message>${escapeXml(message)}</s:message>\n` +
    '</d:error>\n';
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/xml; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

const DAV_EXCEPTIONS: Record<number, string> = {
  400: 'Sabre\\DAV\\Exception\\BadRequest',
  401: 'Sabre\\DAV\\Exception\\NotAuthenticated',
  403: 'Sabre\\DAV\\Exception\\Forbidden',
  404: 'Sabre\\DAV\\Exception\\NotFound',
  405: 'Sabre\\DAV\\Exception\\MethodNotAllowed',
  409: 'Sabre\\DAV\\Exception\\Conflict',
  412: 'Sabre\\DAV\\Exception\\PreconditionFailed',
  413: 'Sabre\\DAV\\Exception\\RequestedEntityTooLarge',
  416: 'Sabre\\DAV\\Exception\\RequestedRangeNotSatisfiable',
  429: 'Sabre\\DAV\\Exception\\TooManyRequests',
  502: 'Sabre\\DAV\\Exception\\BadGateway',
  504: 'Sabre\\DAV\\Exception\\GatewayTimeout',
  507: 'Sabre\\DAV\\Exception\\InsufficientStorage',
};
