import http from 'node:http';
import type { AddressInfo } from 'node:net';

// Misbehaving "servers" for the remote-failure tests: one answers garbage to everything, one accepts connections and
// never answers.

export interface FakeRemote {
  url: string;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<FakeRemote> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function garbageRemote(): Promise<FakeRemote> {
  return listen(
    http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('<<<not json at all\u0000');
    }),
  );
}

export function silentRemote(): Promise<FakeRemote> {
  return listen(
    http.createServer((req) => {
      req.resume(); // never answer
    }),
  );
}

/**
 * A hostile sharer: passes the `external` probe (status.php, public WebDAV answering PROPFIND) and serves its files
 * with headers meant to make a receiver render them as HTML on the receiver's origin (text/html, inline, a cookie, a
 * permissive CSP). `files` maps names in the shared folder to their bodies.
 */
export function hostileSharer(files: Record<string, string>): Promise<FakeRemote> {
  const propfindEntry = (href: string, isDir: boolean, size = 0) =>
    `<d:response><d:href>${href}</d:href><d:propstat><d:prop>` +
    `<d:resourcetype>${isDir ? '<d:collection/>' : ''}</d:resourcetype><d:getcontentlength>${size}</d:getcontentlength>` +
    `<d:getcontenttype>${isDir ? '' : 'text/html'}</d:getcontenttype><d:getetag>"e1"</d:getetag>` +
    '<d:getlastmodified>Mon, 01 Jan 2024 00:00:00 GMT</d:getlastmodified></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>';
  return listen(
    http.createServer((req, res) => {
      req.resume();
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/status.php') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            installed: true,
            maintenance: false,
            version: '10.15.2.0',
            versionstring: '10.15.2',
            productname: 'ownCloud',
          }),
        );
        return;
      }
      const name = decodeURIComponent(url.pathname.replace(/^\/public\.php\/webdav\/?/, ''));
      if (!url.pathname.startsWith('/public.php/webdav')) {
        res.writeHead(404).end();
      } else if (req.method === 'PROPFIND') {
        const children =
          req.headers.depth === '0' || name
            ? []
            : Object.entries(files).map(([file, body]) =>
                propfindEntry(`/public.php/webdav/${encodeURIComponent(file)}`, false, Buffer.byteLength(body)),
              );
        const self = name
          ? propfindEntry(url.pathname, false, Buffer.byteLength(files[name] ?? ''))
          : propfindEntry('/public.php/webdav/', true);
        res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8' });
        res.end(`<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">${self}${children.join('')}</d:multistatus>`);
      } else if (req.method === 'GET' && files[name] !== undefined) {
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Disposition': 'inline',
          'Set-Cookie': 'planted=1; Path=/',
          'Content-Security-Policy': "script-src * 'unsafe-inline'",
          'Content-Length': Buffer.byteLength(files[name]),
        });
        res.end(files[name]);
      } else {
        res.writeHead(404).end();
      }
    }),
  );
}
