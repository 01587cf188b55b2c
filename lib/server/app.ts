import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { App } from './context';
import type { ServerConfig } from './config';
import type { Store } from './store/types';
import { createRouter } from './http/router';
import { requestContext, requestIdOf, safePath } from './log';
import { registerClientCheck, registerHealth } from './health';
import { runInRequestScope } from './federation/request-scope';
import { sharesFollowItems } from './shares/follow';
import { startNotificationRounds } from './federation/notification-outbox';
import { registerOcs } from './ocs/index';
import { registerDav } from './dav/index';
import { registerOcm } from './ocm/index';
import { registerWeb } from './web/index';
import { MAX_CONNECTION_CHECK_MS, MIN_CONNECTION_CHECK_MS } from './timeouts';

export function createServer(config: ServerConfig, store: Store, log: Logger): { server: Server; app: App } {
  const app = new App(config, store, log, sharesFollowItems);
  const { routes, lookup } = createRouter(app);
  const stopNotificationRounds = startNotificationRounds(app);

  // One place per protocol family; lib/server/README.md maps every URL to its file.
  registerOcs(routes);
  registerDav(routes);
  registerOcm(routes);
  registerWeb(routes);
  registerHealth(routes);
  registerClientCheck(routes);

  const server = http.createServer(timeoutOptions(config), (req, res) => {
    const started = Date.now();
    const reqId = requestIdOf(req.headers['x-request-id'], app.clientAddresses.isTrusted(req.socket.remoteAddress));
    res.setHeader('X-Request-Id', reqId);
    res.on('finish', () => {
      log.info(
        { reqId, method: req.method, path: safePath(req.url ?? '/'), status: res.statusCode, ms: Date.now() - started },
        'request',
      );
    });
    limitRequestTime(req, res, config.requestTimeoutMs);
    silence.track(req, res);
    // Calls to other servers made for this request share its hop count, call budget and lifetime; its log lines its id.
    requestContext.run({ reqId }, () => runInRequestScope(req, res, () => lookup(req, res)));
  });
  const silence = closeSilentClients(server, config.idleTimeoutMs);
  limitConnectionsPerAddress(server, app, config.maxConnectionsPerIp);
  server.on('listening', () => app.outbound.setListening(server.address()));
  server.on('close', () => {
    app.stop();
    stopNotificationRounds();
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
function closeSilentClients(
  server: Server,
  idleMs: number,
): { track(req: IncomingMessage, res: ServerResponse): void } {
  const current = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse }>();
  server.timeout = idleMs;
  server.on('timeout', (socket: Socket) => {
    const exchange = current.get(socket);
    const serverIsSilent =
      exchange !== undefined &&
      exchange.req.complete &&
      (!exchange.res.headersSent || exchange.res.writableLength === 0);
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
    // Headers must arrive within the idle timeout in total (a slowloris sending a byte every few seconds is not
    // silent).
    headersTimeout: config.idleTimeoutMs,
    // Node's requestTimeout would also cut long uploads; limitRequestTime applies it to everything but PUT instead.
    requestTimeout: 0,
    // How often Node checks headersTimeout; its default (30 s) would make short timeouts imprecise.
    connectionsCheckingInterval: Math.max(
      MIN_CONNECTION_CHECK_MS,
      Math.min(MAX_CONNECTION_CHECK_MS, Math.floor(config.idleTimeoutMs / 2)),
    ),
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
