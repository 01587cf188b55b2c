import { randomBytes } from 'node:crypto';
import type { Routes } from '../http/router';
import { withIndex } from '../http/router';
import type { Ctx } from '../context';
import { str } from '../http/body';
import { checkCsrf, params, tryFormLogin } from '../http/forms';
import { redirect, sendHtml, sendJson } from '../http/respond';
import { sha256 } from '../secrets';
import type { LoginFlow } from '../store/types';
import { clientNameOf } from '../http/client-name';
import { html } from '../views/escape';
import { errorPage, grantPage, loginPage, messagePage } from '../views/pages';
import { createAppPassword } from '../app-passwords';
import { LOGIN_FLOW_LIFETIME_S } from '../timeouts';

// Nextcloud Login Flow v2: a client starts a flow, opens `login` in the browser, the user logs in and grants access,
// and the client's poll receives {server, loginName, appPassword} exactly once. Flows live LOGIN_FLOW_LIFETIME_S.

const nowS = (): number => Math.floor(Date.now() / 1000);

/**
 * Flows stored at most: anyone may start one, so a flood must not fill the database. Beyond this the oldest go; people
 * log in a few at a time, so a flood has to keep this many coming within one user's login to push theirs out.
 */
const MAX_LOGIN_FLOWS = 10_000;

async function liveFlow(ctx: Ctx, loginToken: string | undefined): Promise<LoginFlow | undefined> {
  if (!loginToken) return undefined;
  await ctx.app.store.deleteLoginFlowsBefore(nowS() - LOGIN_FLOW_LIFETIME_S);
  return ctx.app.store.getLoginFlowByLoginToken(loginToken);
}

async function showFlow(ctx: Ctx, flow: LoginFlow, error?: string, status = 200): Promise<void> {
  const session = await ctx.app.sessions.ensure(ctx.req, ctx.res);
  const user = session.uid ? await ctx.app.store.getUser(session.uid) : undefined;
  const flowPage = `/index.php/login/v2/flow/${encodeURIComponent(flow.loginToken)}`;
  if (user) {
    // Already logged in: straight to the grant, with a way back here as someone else.
    const logoutQuery = new URLSearchParams({ requesttoken: session.requestToken, redirect_url: flowPage });
    const logoutUrl = `/index.php/logout?${logoutQuery}`;
    sendHtml(
      ctx.res,
      200,
      grantPage({
        requestToken: session.requestToken,
        loginToken: flow.loginToken,
        clientName: flow.clientName,
        user: { uid: user.uid, displayName: user.displayName },
        logoutUrl,
      }),
    );
    return;
  }
  sendHtml(
    ctx.res,
    status,
    loginPage({
      requestToken: session.requestToken,
      action: flowPage,
      error,
      intro: html`Log in to connect <strong id="client-name">${flow.clientName}</strong> to your account.`,
    }),
  );
}

export function registerLoginFlow(routes: Routes): void {
  routes.on('POST', withIndex('/login/v2'), 'json', async (ctx) => {
    const { app } = ctx;
    await app.loginFlowLimiter.hit(`login-flow-ip:${ctx.ip}`);
    const pollToken = randomBytes(48).toString('base64url');
    const loginToken = randomBytes(48).toString('base64url');
    const clientName = clientNameOf({ userAgent: ctx.req.headers['user-agent'], origin: ctx.req.headers.origin });
    await app.store.addLoginFlow(
      { pollTokenHash: sha256(pollToken), loginToken, clientName, createdAt: nowS(), uid: null, appPassword: null },
      MAX_LOGIN_FLOWS,
    );
    ctx.req.resume();
    sendJson(ctx.res, 200, {
      poll: { token: pollToken, endpoint: `${app.config.publicUrl}/index.php/login/v2/poll` },
      login: `${app.config.publicUrl}/index.php/login/v2/flow/${loginToken}`,
    });
  });

  routes.on('GET', withIndex('/login/v2/flow/:token'), 'html', async (ctx) => {
    const flow = await liveFlow(ctx, ctx.params.token);
    if (!flow || flow.uid) return sendHtml(ctx.res, 404, errorPage(404, 'The login link expired or was already used.'));
    await showFlow(ctx, flow);
  });

  routes.on('POST', withIndex('/login/v2/flow/:token'), 'html', async (ctx) => {
    const flow = await liveFlow(ctx, ctx.params.token);
    const form = await params(ctx);
    if (!flow || flow.uid) return sendHtml(ctx.res, 404, errorPage(404, 'The login link expired or was already used.'));
    const session = await ctx.app.sessions.find(ctx.req);
    if (!checkCsrf(ctx, session, form)) return showFlow(ctx, flow, 'Your session expired, please try again.', 403);
    const result = await tryFormLogin(ctx, form);
    if (!result.ok) return showFlow(ctx, flow, result.message, result.status);
    await ctx.app.sessions.rotate(ctx.req, ctx.res, result.uid);
    redirect(ctx.res, `/index.php/login/v2/flow/${encodeURIComponent(flow.loginToken)}`);
  });

  routes.on('POST', withIndex('/login/v2/grant'), 'html', async (ctx) => {
    const form = await params(ctx);
    const session = await ctx.app.sessions.find(ctx.req);
    const flow = await liveFlow(ctx, str(form, 'token'));
    if (!flow || flow.uid) return sendHtml(ctx.res, 404, errorPage(404, 'The login link expired or was already used.'));
    if (!session?.uid || !checkCsrf(ctx, session, form))
      return sendHtml(ctx.res, 403, errorPage(403, 'Access forbidden: please log in and try again.'));
    const appPassword = await createAppPassword(ctx.app, session.uid, flow.clientName);
    if (!(await ctx.app.store.grantLoginFlow(flow.loginToken, session.uid, appPassword.secret))) {
      // Granted (or gone) since it was read: a double submit, another node. The app password made here would be one
      // that nobody ever receives; it goes.
      await ctx.app.store.deleteAppPassword(appPassword.id);
      return sendHtml(ctx.res, 404, errorPage(404, 'The login link expired or was already used.'));
    }
    ctx.app.log.info({ event: 'login_flow_granted', uid: session.uid }, 'login flow granted');
    sendHtml(
      ctx.res,
      200,
      messagePage(
        'Account connected',
        `${flow.clientName} is now connected to your account. You can close this window.`,
      ),
    );
  });

  routes.on('POST', withIndex('/login/v2/poll'), 'json', async (ctx) => {
    const form = await params(ctx);
    const token = str(form, 'token');
    await ctx.app.store.deleteLoginFlowsBefore(nowS() - LOGIN_FLOW_LIFETIME_S);
    // Hand the app password out once, then forget it: taking it deletes it, so of two concurrent polls (two nodes,
    // or a client that retried) only one gets it.
    const flow = token ? await ctx.app.store.takeGrantedLoginFlow(sha256(token)) : undefined;
    if (!flow?.uid || !flow.appPassword) return sendJson(ctx.res, 404, []);
    sendJson(ctx.res, 200, { server: ctx.app.config.publicUrl, loginName: flow.uid, appPassword: flow.appPassword });
  });
}
