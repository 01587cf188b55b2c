import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { Logger } from 'pino';
import { App, type Ctx, type Handler } from './context';
import type { ServerConfig } from './config';
import type { Store } from './store/types';
import { HttpError } from './http/errors';
import { concurrentChangeError } from './files/fs-errors';
import { ocsError, ocsTarget } from './http/ocs';
import { sendDavError, sendHtml, sendJson } from './http/respond';
import { errorPage } from './views/pages';
import { safePath } from './log';
import { registerDiscovery } from './routes/discovery';
import { registerAccount } from './routes/account';
import { registerLoginFlow } from './routes/login-flow';
import { registerWebUi } from './routes/web-ui';
import { registerWebdav } from './routes/webdav';
import { registerShares } from './routes/ocs-shares';
import { registerPublicPages } from './routes/public-pages';
import { registerPublicWebdav } from './routes/public-webdav';
import { registerFederationReceive } from './routes/federation-receive';
import { registerRemoteShares } from './routes/remote-shares';
import { registerFederationSend } from './routes/federation-send';

/** How an endpoint family reports errors: OCS envelope, plain JSON {message}, Sabre XML or an HTML page. */
export type ErrorStyle = 'ocs' | 'json' | 'dav' | 'html';

export interface Routes {
  on(methods: HTTPMethod | HTTPMethod[], paths: string | string[], style: ErrorStyle, handler: Handler): void;
}

/** ownCloud answers most app routes with and without the /index.php prefix; so do we. */
export const withIndex = (path: string): string[] => [path, `/index.php${path}`];

function renderError(ctx: Ctx, style: ErrorStyle, error: HttpError): void {
  const { res } = ctx;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  switch (style) {
    case 'ocs':
      return ocsError(res, ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept), error);
    case 'dav':
      return sendDavError(res, error.status, error.message, error.headers);
    case 'json':
      return sendJson(res, error.status, { message: error.message }, error.headers);
    case 'html':
      return sendHtml(res, error.status, errorPage(error.status, error.message), error.headers);
  }
}

function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export function createServer(config: ServerConfig, store: Store, log: Logger): { server: Server; app: App } {
  const app = new App(config, store, log);
  const router = FindMyWay({
    ignoreTrailingSlash: true,
    ignoreDuplicateSlashes: true,
    caseSensitive: true,
    defaultRoute: (req, res) => notFoundOrWrongMethod(req, res),
    onBadUrl: (_path, _req, res) => sendJson(res, 400, { message: 'Malformed URL' }),
  });

  const routes: Routes = {
    on(methods, paths, style, handler) {
      const wrapped = async (req: IncomingMessage, res: ServerResponse, params: Record<string, string | undefined>) => {
        const raw = req.url ?? '/';
        const q = raw.indexOf('?');
        const ctx: Ctx = {
          app, req, res, params, ip: clientIp(req),
          path: q < 0 ? raw : raw.slice(0, q),
          query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
        };
        try {
          await handler(ctx);
        } catch (error) {
          if (error instanceof HttpError) {
            if (!req.complete) req.resume();
            renderError(ctx, style, error);
          } else if (concurrentChangeError(error)) {
            if (!req.complete) req.resume();
            log.warn({ err: error, path: safePath(raw), method: req.method }, 'files changed by a concurrent request');
            renderError(ctx, style, concurrentChangeError(error) as HttpError);
          } else {
            log.error({ err: error, path: safePath(raw), method: req.method }, 'request failed');
            renderError(ctx, style, new HttpError(500, 'Internal server error'));
          }
        }
      };
      for (const path of Array.isArray(paths) ? paths : [paths]) {
        router.on(methods, path, (req, res, params) => void wrapped(req, res, params));
      }
    },
  };

  function notFoundOrWrongMethod(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const allowed = http.METHODS.filter((method) => router.find(method as HTTPMethod, path) !== null);
    req.resume();
    if (allowed.length > 0) sendJson(res, 405, { message: `Method ${req.method ?? ''} not allowed` }, { Allow: allowed.join(', ') });
    else sendHtml(res, 404, errorPage(404, 'File not found'));
  }

  registerDiscovery(routes);
  registerAccount(routes);
  registerLoginFlow(routes);
  registerWebUi(routes);
  registerWebdav(routes);
  registerShares(routes);
  registerPublicPages(routes);
  registerPublicWebdav(routes);
  registerFederationReceive(routes);
  registerRemoteShares(routes);
  registerFederationSend(routes);

  const server = http.createServer((req, res) => {
    const started = Date.now();
    res.on('finish', () => {
      log.info({ method: req.method, path: safePath(req.url ?? '/'), status: res.statusCode, ms: Date.now() - started }, 'request');
    });
    router.lookup(req, res);
  });
  server.requestTimeout = 0; // big uploads/downloads may take long; idle sockets are still closed by headersTimeout/keepAlive
  return { server, app };
}
