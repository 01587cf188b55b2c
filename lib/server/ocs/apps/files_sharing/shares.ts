import type { Routes } from '../../../http/router';
import type { Ctx } from '../../../context';
import { requireApiPrincipal } from '../../../http/auth';
import { str } from '../../../http/body';
import { HttpError } from '../../../http/errors';
import { params } from '../../../http/forms';
import { ocsOk, ocsTarget } from '../../../http/ocs';
import { plainSegments, toPlainPath } from '../../../files/paths';
import { hashPasswordAsync, randomToken } from '../../../secrets';
import type { Share } from '../../../store/types';
import { sendUserShare } from '../../../federation/send';
import { externalShareAt } from '../../../dav/spaces';
import { formatShare } from '../../../shares/format';
import { checkLinkPassword, linkExpiration, linkPermissions } from '../../../shares/policy';
import { retireDerivedShares, retireShares } from '../../../shares/follow';
import { itemKeyAt } from '../../../shares/items';

// /ocs/v{1,2}.php/apps/files_sharing/api/v1/shares: the user's own shares (public links and federated shares they
// send), created, listed, changed and deleted as ownCloud 10's Share API does.

const BASES = ['/ocs/v1.php/apps/files_sharing/api/v1/shares', '/ocs/v2.php/apps/files_sharing/api/v1/shares'];
const target = (ctx: Ctx) => ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept);

async function entryOf(ctx: Ctx, share: Share) {
  return ctx.app
    .tree(share.owner)
    .stat(plainSegments(share.path))
    .catch(() => undefined);
}

async function ownShare(ctx: Ctx, uid: string): Promise<Share> {
  const id = Number(ctx.params.id);
  const share = Number.isInteger(id) ? await ctx.app.store.getShare(id) : undefined;
  if (!share || share.owner !== uid) throw new HttpError(404, "Wrong share ID, share doesn't exist");
  return share;
}

async function create(ctx: Ctx): Promise<void> {
  const { uid } = await requireApiPrincipal(ctx);
  const form = await params(ctx);
  const { app } = ctx;
  const rawPath = str(form, 'path');
  if (!rawPath) throw new HttpError(404, 'Please specify a file or folder path');
  const segments = plainSegments(rawPath);
  if (segments.length === 0) throw new HttpError(403, 'You cannot share your root folder');
  const path = toPlainPath(segments);
  const shareType = str(form, 'shareType');
  const entry = await app.tree(uid).stat(segments);
  // A mounted remote share may be passed on to a cloud id (the bridge), never as a public link.
  const mount = !entry && shareType === '6' ? await externalShareAt(app, uid, path) : undefined;
  if (!entry && !mount) throw new HttpError(404, "Wrong path, file/folder doesn't exist");
  const itemType = entry ? (entry.isDir ? 'folder' : 'file') : mount!.itemType;
  let share: Share;
  if (shareType === '3') {
    const password = str(form, 'password');
    checkLinkPassword(app.config, password);
    share = await app.store.addShare({
      shareType: 3,
      owner: uid,
      path,
      itemType,
      permissions: linkPermissions(itemType, str(form, 'permissions'), str(form, 'publicUpload')),
      token: randomToken(15),
      passwordHash: password ? await hashPasswordAsync(password) : null,
      expiration: linkExpiration(app.config, str(form, 'expireDate')),
      name: (str(form, 'name') ?? str(form, 'label') ?? '').slice(0, 255) || null,
      shareWith: null,
      itemKey: await itemKeyAt(app, uid, path),
    });
    app.log.info({ event: 'link_created', uid, shareId: share.id }, 'link share created');
  } else if (shareType === '6') {
    const shareWith = str(form, 'shareWith');
    if (!shareWith) throw new HttpError(400, 'Please specify a valid federated user id');
    share = await sendUserShare(app, uid, path, itemType, shareWith);
  } else {
    throw new HttpError(400, 'Unknown share type');
  }
  ocsOk(ctx.res, target(ctx), await formatShare(app, share, entry));
}

async function list(ctx: Ctx): Promise<void> {
  const { uid } = await requireApiPrincipal(ctx);
  ctx.req.resume();
  if (ctx.query.get('shared_with_me') === 'true') return ocsOk(ctx.res, target(ctx), []);
  const rawPath = ctx.query.get('path');
  const path = rawPath ? toPlainPath(plainSegments(rawPath)) : undefined;
  if (path !== undefined && !(await ctx.app.tree(uid).stat(plainSegments(path))))
    throw new HttpError(404, "Wrong path, file/folder doesn't exist");
  const shares = await ctx.app.store.listShares(uid, path);
  const data = [];
  for (const share of shares) data.push(await formatShare(ctx.app, share, await entryOf(ctx, share)));
  ocsOk(ctx.res, target(ctx), data);
}

async function update(ctx: Ctx): Promise<void> {
  const { uid } = await requireApiPrincipal(ctx);
  const share = await ownShare(ctx, uid);
  const form = await params(ctx);
  const { app } = ctx;
  if (share.shareType !== 3) throw new HttpError(400, 'Only link shares can be updated');
  const permissions = str(form, 'permissions');
  const publicUpload = str(form, 'publicUpload');
  const password = str(form, 'password');
  const expireDate = str(form, 'expireDate');
  const name = str(form, 'name') ?? str(form, 'label');
  if ([permissions, publicUpload, password, expireDate, name].every((v) => v === undefined))
    throw new HttpError(400, 'Wrong or no update parameter given');
  if (password !== undefined) checkLinkPassword(app.config, password);
  await app.store.updateShare(share.id, {
    ...(permissions !== undefined || publicUpload !== undefined
      ? { permissions: linkPermissions(share.itemType, permissions, publicUpload) }
      : {}),
    ...(password !== undefined ? { passwordHash: password ? await hashPasswordAsync(password) : null } : {}),
    ...(expireDate !== undefined ? { expiration: linkExpiration(app.config, expireDate) } : {}),
    ...(name !== undefined ? { name: name.slice(0, 255) || null } : {}),
  });
  // Browsers that unlocked the link, and shares made from it, got in with the old password: a new one shuts them out.
  // (Expiry and permission changes reach derived shares on every read, see shares/public-access.ts.)
  if (password) {
    await app.sessions.forgetUnlockedShare(share.id);
    await retireDerivedShares(app, share.id, 'link password changed');
  }
  const updated = await app.store.getShare(share.id);
  if (!updated) throw new HttpError(404, "Wrong share ID, share doesn't exist");
  ocsOk(ctx.res, target(ctx), await formatShare(app, updated, await entryOf(ctx, updated)));
}

export function registerShares(routes: Routes): void {
  routes.on('POST', BASES, 'ocs', create);
  routes.on('GET', BASES, 'ocs', list);
  const byId = BASES.map((base) => `${base}/:id`);
  routes.on('GET', byId, 'ocs', async (ctx) => {
    const { uid } = await requireApiPrincipal(ctx);
    const share = await ownShare(ctx, uid);
    ocsOk(ctx.res, target(ctx), [await formatShare(ctx.app, share, await entryOf(ctx, share))]);
  });
  routes.on('PUT', byId, 'ocs', update);
  routes.on('DELETE', byId, 'ocs', async (ctx) => {
    const { uid } = await requireApiPrincipal(ctx);
    ctx.req.resume();
    const share = await ownShare(ctx, uid);
    await retireShares(ctx.app, [share], 'deleted by owner');
    ctx.app.log.info({ event: 'share_deleted', uid, shareId: share.id }, 'share deleted');
    ocsOk(ctx.res, target(ctx), []);
  });
}
