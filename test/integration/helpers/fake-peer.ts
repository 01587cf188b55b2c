import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A scriptable "server" on 127.0.0.1 for the outbound-call tests: it records every request it gets (so a test can
// assert that an internal address was never reached) and answers like an ownCloud-compatible peer unless a route
// overrides it. Because it answers everything plausibly, a node that was wrongly allowed to call it would succeed.

export interface Hit {
  method: string;
  url: string;
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface FakePeer {
  url: string;
  port: number;
  hits: Hit[];
  /** Requests whose connection closed before the answer was complete (the caller gave up or was cancelled). */
  abandoned: Hit[];
  close(): Promise<void>;
}

export function multistatus(href: string, kind: 'folder' | { size: number }): string {
  const props =
    kind === 'folder'
      ? '<d:resourcetype><d:collection/></d:resourcetype>'
      : `<d:resourcetype/><d:getcontentlength>${kind.size}</d:getcontentlength><d:getcontenttype>application/octet-stream</d:getcontenttype>`;
  return `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>${href}</d:href><d:propstat><d:prop>${props}<d:getetag>"e1"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`;
}

export function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** What an ownCloud-compatible peer at `origin` answers to the discovery, OCM and WebDAV calls a companion makes. */
function plausible(origin: string): Route {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.endsWith('/status.php'))
      return json(res, 200, { installed: true, maintenance: false, version: '10.15.2.0', productname: 'ownCloud' });
    if (path.endsWith('/ocm-provider/') || path.endsWith('/.well-known/ocm')) {
      return json(res, 200, {
        enabled: true,
        apiVersion: '1.0-proposal1',
        endPoint: `${origin}/ocm`,
        shareTypes: [{ name: 'file', protocols: { webdav: '/public.php/webdav/' } }],
      });
    }
    if (req.method === 'POST' && path.startsWith('/ocm/')) return json(res, 201, []);
    if (req.method === 'PROPFIND') {
      res.writeHead(207, { 'Content-Type': 'application/xml' });
      return res.end(multistatus(path, 'folder'));
    }
    json(res, 404, { message: 'not found' });
  };
}

export async function fakePeer(routes: Record<string, Route> = {}): Promise<FakePeer> {
  const hits: Hit[] = [];
  const abandoned: Hit[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    const hit = { method: req.method ?? '', url: req.url ?? '' };
    hits.push(hit);
    res.on('close', () => {
      if (!res.writableFinished) abandoned.push(hit);
    });
    req.resume();
    const path = hit.url.split('?')[0] ?? '/';
    const route = Object.entries(routes).find(([prefix]) => path.startsWith(prefix))?.[1];
    (route ?? plausible(origin))(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    port,
    hits,
    abandoned,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
