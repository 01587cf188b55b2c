import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { App, Ctx, Handler } from '../context';
import { concurrentChangeError } from '../files/fs-errors';
import { safePath } from '../log';
import { StoreUnavailableError } from '../store/errors';
import { errorPage } from '../views/pages';
import { challengeFiltered } from './auth';
import { HttpError, PlainJsonError } from './errors';
import { ocsError, ocsTarget } from './ocs';
import { sendDavError, sendHtml, sendJson } from './respond';

// The route table every endpoint module registers on: one find-my-way router, a request context per call, and the
// error answer in the style of the endpoint's protocol family. Endpoint modules import only the `Routes` type and
// `withIndex` from here; app.ts creates the router and calls the registrations, so nothing imports app.ts back.

/** How an endpoint family reports errors: OCS envelope, plain JSON {message}, Sabre XML or an HTML page. */
type ErrorStyle = 'ocs' | 'json' | 'dav' | 'html';

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
      return ocsError(
        res,
        ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept),
        new HttpError(error.status, error.message, error.ocsCode, headers),
      );
    case 'dav':
      return sendDavError(res, error.status, error.message, headers);
    case 'json':
      return sendJson(res, error.status, { message: error.message }, headers);
    case 'html':
      return sendHtml(res, error.status, errorPage(error.status, error.message), headers);
  }
}

/** The router of one node: `routes` to register endpoints on, `lookup` to dispatch a request to them. */
export function createRouter(app: App): { routes: Routes; lookup(req: IncomingMessage, res: ServerResponse): void } {
  const { log } = app;
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
          app,
          req,
          res,
          params,
          ip: app.clientAddresses.of(req),
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
            renderError(
              ctx,
              style,
              new HttpError(503, 'Service temporarily unavailable', undefined, { 'Retry-After': '2' }),
            );
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
    if (allowed.length > 0)
      sendJson(res, 405, { message: `Method ${req.method ?? ''} not allowed` }, { Allow: allowed.join(', ') });
    else sendHtml(res, 404, errorPage(404, 'File not found'));
  }

  return { routes, lookup: (req, res) => router.lookup(req, res) };
}
