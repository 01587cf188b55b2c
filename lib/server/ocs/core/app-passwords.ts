import type { Routes } from '../../http/router';
import type { Ctx } from '../../context';
import { createAppPassword } from '../../app-passwords';
import { requireApiPrincipal } from '../../http/auth';
import { clientNameOf } from '../../http/client-name';
import { HttpError } from '../../http/errors';
import { ocsOk, ocsTarget } from '../../http/ocs';

// /ocs/v{1,2}.php/core/getapppassword, …/core/apppassword and …/core/apppasswords: app passwords over OCS.

const target = (ctx: Ctx) => ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept);

export function registerAppPasswords(routes: Routes): void {
  // Nextcloud's "convert my login password into an app password" call; refused when already using one. It is a GET
  // that creates something, so it needs CSRF proof like a POST (Nextcloud's does too).
  routes.on('GET', ['/ocs/v2.php/core/getapppassword', '/ocs/v1.php/core/getapppassword'], 'ocs', async (ctx) => {
    const principal = await requireApiPrincipal(ctx, { changesState: true });
    if (principal.appPasswordId !== null || principal.via !== 'basic')
      throw new HttpError(403, 'Already using an app password');
    const { secret } = await createAppPassword(
      ctx.app,
      principal.uid,
      clientNameOf({ userAgent: ctx.req.headers['user-agent'], origin: ctx.req.headers.origin }),
    );
    ocsOk(ctx.res, target(ctx), { apppassword: secret });
  });

  routes.on('DELETE', ['/ocs/v2.php/core/apppassword', '/ocs/v1.php/core/apppassword'], 'ocs', async (ctx) => {
    const principal = await requireApiPrincipal(ctx);
    if (principal.appPasswordId === null) throw new HttpError(403, 'no app password in use');
    await ctx.app.store.deleteAppPassword(principal.appPasswordId);
    ctx.app.authCache.clear();
    ctx.app.log.info({ event: 'app_password_revoked', uid: principal.uid }, 'app password revoked');
    ocsOk(ctx.res, target(ctx), []);
  });

  // The caller's app passwords (never their secrets), and revoking one of them by id. The companion's own addition:
  // ownCloud and Nextcloud offer this only in their settings pages (personal/authtokens).
  routes.on('GET', ['/ocs/v2.php/core/apppasswords', '/ocs/v1.php/core/apppasswords'], 'ocs', async (ctx) => {
    const principal = await requireApiPrincipal(ctx);
    const list = (await ctx.app.store.listAppPasswords(principal.uid)).map((entry) => ({
      id: entry.id,
      name: entry.name,
      created: entry.createdAt,
      lastUsed: entry.lastUsedAt,
      current: entry.id === principal.appPasswordId,
    }));
    ocsOk(ctx.res, target(ctx), list);
  });

  routes.on(
    'DELETE',
    ['/ocs/v2.php/core/apppasswords/:id', '/ocs/v1.php/core/apppasswords/:id'],
    'ocs',
    async (ctx) => {
      // A state change with the user's credentials: only from a client that can send this header (no cross-site form).
      if (String(ctx.req.headers['ocs-apirequest'] ?? '').toLowerCase() !== 'true')
        throw new HttpError(412, 'CSRF check failed');
      const principal = await requireApiPrincipal(ctx);
      const id = Number(ctx.params.id);
      if (!Number.isSafeInteger(id) || !(await ctx.app.store.deleteAppPasswordOf(principal.uid, id)))
        throw new HttpError(404, 'App password not found');
      ctx.app.authCache.clear();
      ctx.app.log.info({ event: 'app_password_revoked', uid: principal.uid, id }, 'app password revoked');
      ocsOk(ctx.res, target(ctx), []);
    },
  );
}
