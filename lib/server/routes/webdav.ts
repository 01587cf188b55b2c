import type { Routes } from '../app';
import type { Ctx } from '../context';
import { basicPrincipal } from '../http/auth';
import { HttpError } from '../http/errors';
import { DAV_METHODS, handleDav, segmentsAfter } from '../dav/handler';
import { userSpaceOf } from '../dav/spaces';

const UNAUTHORIZED = { 'WWW-Authenticate': 'Basic realm="Add to Cloud", charset="UTF-8"' };
const SAFE = new Set(['GET', 'HEAD', 'PROPFIND', 'OPTIONS']);

/** Basic auth, or the browser session of the web UI for reading (no state change, so no CSRF concern). */
async function davUser(ctx: Ctx): Promise<string> {
  const basic = await basicPrincipal(ctx);
  if (basic) return basic.uid;
  const session = ctx.app.sessions.find(ctx.req);
  if (session?.uid && SAFE.has(ctx.req.method ?? '')) return session.uid;
  throw new HttpError(401, 'No public access to this resource., Username or password was incorrect', undefined, UNAUTHORIZED);
}

async function serveUserDav(ctx: Ctx, uid: string, baseHref: string, skip: number): Promise<void> {
  const { app } = ctx;
  await app.tree(uid).ensure();
  await handleDav(ctx, { space: userSpaceOf(app, uid), baseHref, segments: segmentsAfter(ctx.path, skip), instanceId: app.instanceId });
}

export function registerWebdav(routes: Routes): void {
  const methods = [...DAV_METHODS];
  routes.on(methods, ['/remote.php/dav/files/:user', '/remote.php/dav/files/:user/*'], 'dav', async (ctx) => {
    const uid = await davUser(ctx);
    const requested = ctx.params.user ?? '';
    if (requested !== uid) throw new HttpError(403, 'Access to another user\'s files is not allowed');
    await serveUserDav(ctx, uid, `/remote.php/dav/files/${encodeURIComponent(uid)}/`, 4);
  });
  routes.on(methods, ['/remote.php/webdav', '/remote.php/webdav/*'], 'dav', async (ctx) => {
    const uid = await davUser(ctx);
    await serveUserDav(ctx, uid, '/remote.php/webdav/', 2);
  });
}
