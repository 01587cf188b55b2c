import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { Logger } from 'pino';
import { App, type Ctx, type Handler } from './context';
import type { ServerConfig } from './config';
import type { Store } from './store/types';
import { HttpError, PlainJsonError } from './http/errors';
import { challengeFiltered } from './http/auth';
import { concurrentChangeError } from './files/fs-errors';
import { StoreUnavailableError } from './store/errors';
import { ocsError, ocsTarget } from './http/ocs';
import { sendDavError, sendHtml, sendJson } from './http/respond';
import { errorPage } from './views/pages';
import { requestContext, requestIdOf, safePath } from './log';
import { registerClientCheck, registerHealth } from './health';
import { runInRequestScope } from './federation/request-scope';
import { registerDiscovery } from './routes/discovery';
import { registerAccount } from './routes/account';
import { registerLoginFlow } from './routes/login-flow';
import { registerWebUi } from './routes/web-ui';
import { registerStaticAssets } from './routes/static-assets';
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
  // Browsers that are asked for Basic credentials cache them and send them cross-site later: no challenge to them.
  const headers = challengeFiltered(ctx.req, error.headers);
  if (error instanceof PlainJsonError) return sendJson(res, error.status, { message: error.message }, headers);
  switch (style) {
    case 'ocs':
      return ocsError(res, ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept), new HttpError(error.status, error.message, error.ocsCode, headers));
    case 'dav':
      return sendDavError(res, error.status, error.message, headers);
    case 'json':
      return sendJson(res, error.status, { message: error.message }, headers);
    case 'html':
      return sendHtml(res, error.status, errorPage(error.status, error.message), headers);
  }
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
          app, req, res, params, ip: app.clientAddresses.of(req),
          path: q < 0 ? raw : raw.slice(0, q),
          query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
        };
        try {
          await handler(ctx);
        } catch (error) {
          if (error instanceof HttpError) {
            if (!req.complete) req.resume();
            renderError(ctx, style, error);
          } else if (error instanceof StoreUnavailableError) {
            // PostgreSQL restarting or out of reach: the pool reconnects by itself; the client may retry shortly.
            if (!req.complete) req.resume();
            log.warn({ err: error.cause, path: safePath(raw), method: req.method }, 'database unavailable');
            renderError(ctx, style, new HttpError(503, 'Service temporarily unavailable', undefined, { 'Retry-After': '2' }));
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

  registerHealth(routes);
  registerClientCheck(routes);
  registerDiscovery(routes);
  registerAccount(routes);
  registerLoginFlow(routes);
  registerWebUi(routes);
  registerStaticAssets(routes);
  registerWebdav(routes);
  registerShares(routes);
  registerPublicPages(routes);
  registerPublicWebdav(routes);
  registerFederationReceive(routes);
  registerRemoteShares(routes);
  registerFederationSend(routes);

  const server = http.createServer(timeoutOptions(config), (req, res) => {
    const started = Date.now();
    const reqId = requestIdOf(req.headers['x-request-id'], app.clientAddresses.isTrusted(req.socket.remoteAddress));
    res.setHeader('X-Request-Id', reqId);
    res.on('finish', () => {
      log.info({ reqId, method: req.method, path: safePath(req.url ?? '/'), status: res.statusCode, ms: Date.now() - started }, 'request');
    });
    limitRequestTime(req, res, config.requestTimeoutMs);
    silence.track(req, res);
    // Calls to other servers made for this request share its hop count, call budget and lifetime; its log lines its id.
    requestContext.run({ reqId }, () => runInRequestScope(req, res, () => router.lookup(req, res)));
  });
  const silence = closeSilentClients(server, config.idleTimeoutMs);
  limitConnectionsPerAddress(server, app, config.maxConnectionsPerIp);
  server.on('listening', () => app.outbound.setListening(server.address()));
  server.on('close', () => {
    app.stop();
    void app.outbound.dispatcher.close();
  });
  return { server, app };
}

/**
 * Silence of the client, not total time, ends a connection. Node's socket timeout restarts on every byte read or
 * written and does not fire while a large write still drains to a slow reader. When it fires we close the connection
 * if the client is the one keeping us waiting (no request yet, a request body that stopped arriving, or a response it
 * stopped reading), and keep it while we are the silent side (a handler still working, e.g. waiting on a remote
 * server, which has its own timeout): the timer starts again with our next write.
 */
function closeSilentClients(server: Server, idleMs: number): { track(req: IncomingMessage, res: ServerResponse): void } {
  const current = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse }>();
  server.timeout = idleMs;
  server.on('timeout', (socket: Socket) => {
    const exchange = current.get(socket);
    const serverIsSilent = exchange !== undefined && exchange.req.complete && (!exchange.res.headersSent || exchange.res.writableLength === 0);
    if (!serverIsSilent) socket.destroy();
  });
  return {
    track(req, res) {
      const exchange = { req, res };
      current.set(req.socket, exchange);
      res.once('close', () => {
        if (current.get(req.socket) === exchange) current.delete(req.socket);
      });
    },
  };
}

function timeoutOptions(config: ServerConfig): http.ServerOptions {
  return {
    // Headers must arrive within the idle timeout in total (a slowloris sending a byte every few seconds is not silent).
    headersTimeout: config.idleTimeoutMs,
    // Node's requestTimeout would also cut long uploads; limitRequestTime applies it to everything but PUT instead.
    requestTimeout: 0,
    // How often Node checks headersTimeout; its default (30 s) would make short timeouts imprecise.
    connectionsCheckingInterval: Math.max(250, Math.min(30_000, Math.floor(config.idleTimeoutMs / 2))),
  };
}

/**
 * Every request except an upload (PUT, which may stream gigabytes for as long as it keeps moving) must have arrived
 * completely within `limitMs`; other bodies are small (maxBodyBytes), so a client trickling one is an attack. One timer
 * per request with a body, nothing per chunk.
 */
function limitRequestTime(req: IncomingMessage, res: ServerResponse, limitMs: number): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (limitMs <= 0 || req.method === 'PUT' || !hasBody) return;
  const timer = setTimeout(() => {
    if (req.complete) return;
    if (!res.headersSent) {
      res.writeHead(408, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
      res.end(JSON.stringify({ message: 'Request body not received in time' }));
    }
    req.socket.destroySoon();
  }, limitMs);
  timer.unref();
  const clear = () => clearTimeout(timer);
  req.once('end', clear);
  res.once('close', clear);
}

/** At most `limit` open connections per client address; more are closed at once. Trusted proxies are exempt. */
function limitConnectionsPerAddress(server: Server, app: App, limit: number): void {
  if (limit <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    if (app.clientAddresses.isTrusted(address)) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > limit) {
      app.log.debug({ event: 'connection_limit', ip: address }, 'too many connections from one address');
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
