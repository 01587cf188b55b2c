import type { Routes } from '../../../http/router';
import type { Ctx } from '../../../context';
import { requireApiPrincipal } from '../../../http/auth';
import { HttpError } from '../../../http/errors';
import { ocsOk, ocsTarget } from '../../../http/ocs';
import { acceptPendingShare } from '../../../federation/external-mounts';
import { dropExternalShare } from '../../../federation/external-mounts';
import { externalShareRemoved } from '../../../shares/follow';
import { DELETE, READ } from '../../../shares/permissions';
import type { ExternalShare } from '../../../store/types';

// OCS remote_shares: the user's mounted links and received federated shares. Field types follow ownCloud 10: ids and
// "accepted" as strings, owner as stored (docs/protocols.md#remote-shares). interop-captures.test.ts compares a pending
// share field by field with ownCloud's recorded list (test/fixtures/captures/owncloud-10.15.2).

const BASES = [
  '/ocs/v1.php/apps/files_sharing/api/v1/remote_shares',
  '/ocs/v2.php/apps/files_sharing/api/v1/remote_shares',
];
const target = (ctx: Ctx) => ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept);

function formatExternalShare(share: ExternalShare): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: String(share.id),
    remote: share.remote,
    remote_id: share.remoteId,
    share_token: share.shareToken,
    name: `/${share.name}`,
    owner: share.owner,
    user: share.uid,
    mountpoint: share.mountpoint,
    accepted: share.accepted ? '1' : '0',
  };
  if (share.accepted) {
    Object.assign(item, {
      mimetype: share.itemType === 'folder' ? 'httpd/unix-directory' : 'application/octet-stream',
      mtime: share.createdAt,
      // Read, and unmountable (delete): 9, as recorded on ownCloud 10.
      permissions: READ | DELETE,
      type: share.itemType === 'folder' ? 'dir' : 'file',
      file_id: 2 ** 40 + share.id,
    });
  }
  return item;
}

/** The user's external share with the URL's id; it must be accepted (mounted) or pending as the route says. */
async function shareOf(ctx: Ctx, uid: string, accepted: boolean): Promise<ExternalShare> {
  const id = Number(ctx.params.id);
  const share = Number.isInteger(id) ? await ctx.app.store.getExternalShare(uid, id) : undefined;
  if (!share || share.accepted !== accepted) throw new HttpError(404, "wrong share ID, share doesn't exist.");
  return share;
}

export function registerRemoteShares(routes: Routes): void {
  routes.on('GET', BASES, 'ocs', async (ctx) => {
    const { uid } = await requireApiPrincipal(ctx);
    ocsOk(ctx.res, target(ctx), (await ctx.app.store.listExternalShares(uid, true)).map(formatExternalShare));
  });
  routes.on(
    'GET',
    BASES.map((b) => `${b}/pending`),
    'ocs',
    async (ctx) => {
      const { uid } = await requireApiPrincipal(ctx);
      ocsOk(ctx.res, target(ctx), (await ctx.app.store.listExternalShares(uid, false)).map(formatExternalShare));
    },
  );
  routes.on(
    'GET',
    BASES.map((b) => `${b}/all`),
    'ocs',
    async (ctx) => {
      const { uid } = await requireApiPrincipal(ctx);
      ocsOk(ctx.res, target(ctx), (await ctx.app.store.listExternalShares(uid)).map(formatExternalShare));
    },
  );
  routes.on(
    'POST',
    BASES.map((b) => `${b}/pending/:id`),
    'ocs',
    async (ctx) => {
      const { uid } = await requireApiPrincipal(ctx);
      ctx.req.resume();
      const accepted = await acceptPendingShare(ctx.app, await shareOf(ctx, uid, false));
      ocsOk(ctx.res, target(ctx), [{ state: 0, file_target: accepted.mountpoint }]);
    },
  );
  routes.on(
    'DELETE',
    BASES.map((b) => `${b}/pending/:id`),
    'ocs',
    async (ctx) => {
      const { uid } = await requireApiPrincipal(ctx);
      ctx.req.resume();
      await dropExternalShare(ctx.app, await shareOf(ctx, uid, false));
      ocsOk(ctx.res, target(ctx), []);
    },
  );
  routes.on(
    'GET',
    BASES.map((b) => `${b}/:id`),
    'ocs',
    async (ctx) => {
      const { uid } = await requireApiPrincipal(ctx);
      ocsOk(ctx.res, target(ctx), formatExternalShare(await shareOf(ctx, uid, true)));
    },
  );
  routes.on(
    'DELETE',
    BASES.map((b) => `${b}/:id`),
    'ocs',
    async (ctx) => {
      const { uid } = await requireApiPrincipal(ctx);
      ctx.req.resume();
      const mount = await shareOf(ctx, uid, true);
      await dropExternalShare(ctx.app, mount);
      await externalShareRemoved(ctx.app, mount);
      ocsOk(ctx.res, target(ctx), []);
    },
  );
}
