import type { Routes } from '../../../http/router';
import { withIndex } from '../../../http/router';
import type { Ctx } from '../../../context';
import { basicPrincipal, csrfCheckFailed, hasCsrfProof } from '../../../http/auth';
import type { Params } from '../../../http/body';
import { HttpError } from '../../../http/errors';
import { checkCsrf, params } from '../../../http/forms';
import { sendJson } from '../../../http/respond';
import { mountExternalLink } from '../../../federation/external-link';

// POST /index.php/apps/files_sharing/external: mount a public link of another server into the caller's files, the
// way ownCloud's `external` does (JSON answers; the web UI's form is web/apps/files.ts).

const TOKEN_EXPIRED = {
  data: { message: 'Token expired. Please reload page.', error: 'token_expired' },
  status: 'error',
};

/**
 * Who calls `external`: a browser session with its request token (as ownCloud requires; `OCS-APIRequest: true` also
 * passes, as in Nextcloud 30+), or — our documented improvement — Basic auth with a password or app password plus
 * `OCS-APIRequest: true`. Basic without that header is a possible cross-site form riding on cached credentials: 412.
 * Wrong Basic credentials are answered like a missing session (token_expired) and count towards the throttle.
 */
async function externalCaller(ctx: Ctx, form: Params): Promise<string | undefined> {
  let basic;
  try {
    basic = await basicPrincipal(ctx);
  } catch (error) {
    if (error instanceof HttpError && error.status === 429) throw error;
    return undefined;
  }
  if (basic) {
    if (!(await hasCsrfProof(ctx))) throw csrfCheckFailed();
    return basic.uid;
  }
  const session = await ctx.app.sessions.find(ctx.req);
  if (session?.uid && (checkCsrf(ctx, session, form) || (await hasCsrfProof(ctx, session)))) return session.uid;
  return undefined;
}

async function external(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const form = await params(ctx);
  const uid = await externalCaller(ctx, form);
  if (!uid) return sendJson(ctx.res, 200, TOKEN_EXPIRED);
  const result = await mountExternalLink(app, uid, form);
  if (!result.ok) return sendJson(ctx.res, 200, { data: { message: result.message }, status: 'error' });
  // ownCloud answers success with an empty 200.
  ctx.res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8', 'Content-Length': 0 });
  ctx.res.end();
}

export function registerExternal(routes: Routes): void {
  routes.on('POST', withIndex('/apps/files_sharing/external'), 'json', external);
}
