import type { Routes } from '../http/router';
import type { Ctx } from '../context';
import { basicPrincipal } from '../http/auth';
import { HttpError } from '../http/errors';
import { DAV_METHODS, handleDav, segmentsAfter } from './handler';
import { userSpaceOf } from './spaces';

// /remote.php/webdav and /remote.php/dav/files/USER: a user's own files (and the shares they mounted) over WebDAV.

const UNAUTHORIZED = { 'WWW-Authenticate': 'Basic realm="Add to Cloud", charset="UTF-8"' };

/**
 * WebDAV takes Basic auth only (login or app password), never the browser session: a file opened from a tab on this
 * origin must not be readable or writable with the cookie of whoever is logged in (the web UI downloads through its
 * own route). No CSRF header is asked for: WebDAV clients do not send one, and none of these methods can be sent by
 * an HTML form (GET, HEAD, PROPFIND and OPTIONS change nothing; PUT, DELETE, MKCOL and MOVE need a CORS preflight
 * cross-site, which this server never grants).
 */
async function davUser(ctx: Ctx): Promise<string> {
  const basic = await basicPrincipal(ctx);
  if (basic) return basic.uid;
  throw new HttpError(
    401,
    'No public access to this resource., Username or password was incorrect',
    undefined,
    UNAUTHORIZED,
  );
}

async function serveUserDav(ctx: Ctx, uid: string, baseHref: string, skip: number): Promise<void> {
  const { app } = ctx;
  await app.tree(uid).ensure();
  await handleDav(ctx, {
    space: userSpaceOf(app, uid),
    baseHref,
    segments: segmentsAfter(ctx.path, skip),
    instanceId: app.instanceId,
  });
}

export function registerUserWebdav(routes: Routes): void {
  const methods = [...DAV_METHODS];
  routes.on(methods, ['/remote.php/dav/files/:user', '/remote.php/dav/files/:user/*'], 'dav', async (ctx) => {
    const uid = await davUser(ctx);
    const requested = ctx.params.user ?? '';
    if (requested !== uid) throw new HttpError(403, "Access to another user's files is not allowed");
    await serveUserDav(ctx, uid, `/remote.php/dav/files/${encodeURIComponent(uid)}/`, 4);
  });
  routes.on(methods, ['/remote.php/webdav', '/remote.php/webdav/*'], 'dav', async (ctx) => {
    const uid = await davUser(ctx);
    await serveUserDav(ctx, uid, '/remote.php/webdav/', 2);
  });
}
