import type { Routes } from '../../../http/router';
import { withIndex } from '../../../http/router';
import type { Ctx } from '../../../context';
import { basicPrincipal } from '../../../http/auth';
import { HttpError } from '../../../http/errors';
import { sendJson } from '../../../http/respond';
import { remoteProtocol } from '../../../federation/probe';

// GET /index.php/apps/files_sharing/testremote?remote=…: does that address answer like an ownCloud/Nextcloud?

/**
 * testremote makes this server call the address it is given, so only a logged-in user may ask (ownCloud lets anyone,
 * which turns it into a port scanner); the address rules of every other outgoing call apply as well.
 */
async function testRemote(ctx: Ctx): Promise<void> {
  ctx.req.resume();
  const basic = await basicPrincipal(ctx);
  if (!basic && !(await ctx.app.sessions.find(ctx.req))?.uid) throw new HttpError(401, 'Current user is not logged in');
  sendJson(ctx.res, 200, await remoteProtocol(ctx.app, ctx.query.get('remote') ?? ''));
}

export function registerTestRemote(routes: Routes): void {
  routes.on('GET', withIndex('/apps/files_sharing/testremote'), 'json', testRemote);
}
