import type { Routes } from '../../http/router';
import { requireApiPrincipal } from '../../http/auth';
import { ocsOk, ocsTarget } from '../../http/ocs';

// /ocs/v{1,2}.php/cloud/user: who the caller is, and their quota.

export function registerUser(routes: Routes): void {
  routes.on('GET', ['/ocs/v1.php/cloud/user', '/ocs/v2.php/cloud/user'], 'ocs', async (ctx) => {
    const { uid } = await requireApiPrincipal(ctx);
    const user = await ctx.app.store.getUser(uid);
    // Nextcloud's quota block (ownCloud has the same fields): -3 means unlimited.
    const { used, total, free } = await ctx.app.quota.status(uid);
    const quota = {
      free: free ?? -3,
      used,
      total: total ?? -3,
      relative: total ? Math.round((used / total) * 10000) / 100 : 0,
      quota: total ?? -3,
    };
    ocsOk(ctx.res, ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept), {
      id: uid,
      'display-name': user?.displayName ?? uid,
      displayname: user?.displayName ?? uid,
      email: null,
      quota,
    });
  });
}
