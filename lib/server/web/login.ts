import type { Routes } from '../http/router';
import { withIndex } from '../http/router';
import type { Ctx } from '../context';
import { str } from '../http/body';
import { checkCsrf, params, tryFormLogin } from '../http/forms';
import { redirect, sendHtml } from '../http/respond';
import { requestTokenMatches } from '../http/session';
import { loginPage } from '../views/pages';
import { FILES } from './apps/files';

// /, /index.php, /login and /logout (also under /index.php): the browser session of the web UI.

/** A Login Flow v2 page (web/login-flow.ts): a place to come back to after "Not you? Log out". */
const LOGIN_FLOW_PAGE = /^\/index\.php\/login\/v2\/flow\/[\w-]+$/;

async function showLogin(ctx: Ctx, error?: string, user?: string, status = 200): Promise<void> {
  const session = await ctx.app.sessions.ensure(ctx.req, ctx.res);
  sendHtml(ctx.res, status, loginPage({ requestToken: session.requestToken, action: '/index.php/login', error, user }));
}

/** Where to go after logging in: only our own files page (no open redirect). */
function afterLogin(form: Record<string, unknown>): string {
  const target = typeof form.redirect_url === 'string' ? form.redirect_url : '';
  return target.startsWith(FILES) && !target.includes('//', 1) ? target : FILES;
}

/** Where to go after logging out: the login page, or back to the Login Flow page the user left ("not you?"). */
function afterLogout(target: string | null): string {
  return target && LOGIN_FLOW_PAGE.test(target) ? target : '/index.php/login';
}

export function registerLogin(routes: Routes): void {
  routes.on('GET', ['/', '/index.php'], 'html', (ctx) => redirect(ctx.res, FILES, 302));
  routes.on('GET', withIndex('/login'), 'html', async (ctx) => {
    if ((await ctx.app.sessions.find(ctx.req))?.uid) return redirect(ctx.res, FILES);
    await showLogin(ctx);
  });
  routes.on('POST', withIndex('/login'), 'html', async (ctx) => {
    const form = await params(ctx);
    if (!checkCsrf(ctx, await ctx.app.sessions.find(ctx.req), form))
      return showLogin(ctx, 'Your session expired, please try again.', undefined, 403);
    const result = await tryFormLogin(ctx, form);
    if (!result.ok) return showLogin(ctx, result.message, str(form, 'user'), result.status);
    await ctx.app.sessions.rotate(ctx.req, ctx.res, result.uid);
    redirect(ctx.res, afterLogin(form));
  });
  routes.on('GET', withIndex('/logout'), 'html', async (ctx) => {
    const session = await ctx.app.sessions.find(ctx.req);
    if (session && requestTokenMatches(session, ctx.query.get('requesttoken') ?? undefined))
      await ctx.app.sessions.destroy(session);
    redirect(ctx.res, afterLogout(ctx.query.get('redirect_url')));
  });
}
