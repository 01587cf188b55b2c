import type { App, Ctx } from '../context';
import { HttpError } from '../http/errors';
import { verifyPassword } from '../secrets';
import type { Share } from '../store/types';
import { itemStillThere } from './items';
import { canRead } from './permissions';
import { isExpired } from './policy';

// Anonymous access to our shares: looking a token up and checking its password, with guessing throttled per
// (client IP, token) and per token (backoff, see http/throttle.ts). Expired and deleted links, links whose item is
// gone, and shares made from such links look exactly like tokens that never existed.

/**
 * The share behind `token` as anonymous callers may use it. A share made from a link (createFederatedShare) is held to
 * that link: it dies when the link is deleted or expires, and gets only the permissions both have.
 */
export async function liveShare(
  ctx: Ctx,
  token: string | undefined,
  types: ReadonlyArray<3 | 6> = [3],
): Promise<Share | undefined> {
  if (!token || !/^[A-Za-z0-9]{1,64}$/.test(token)) return undefined;
  const { app } = ctx;
  const found = await app.store.getShareByToken(token);
  if (!found || !types.includes(found.shareType) || isExpired(found)) return undefined;
  const share = await limitedByParent(app, found);
  if (!share || !(await itemStillThere(app, share))) return undefined;
  return share;
}

async function limitedByParent(app: App, share: Share): Promise<Share | undefined> {
  if (share.parentId === null) return share;
  const link = await app.store.getShare(share.parentId);
  if (!link || link.shareType !== 3 || isExpired(link)) return undefined;
  const expiration = [share.expiration, link.expiration].filter((day): day is string => day !== null).sort()[0] ?? null;
  return { ...share, permissions: share.permissions & link.permissions, expiration };
}

/** True if `password` opens the share; failures count towards the throttle, and a blocked key throws 429. */
export async function passwordOpens(ctx: Ctx, share: Share, password: string): Promise<boolean> {
  if (!share.passwordHash) return true;
  const subject = `link:${share.token}`;
  await ctx.app.linkThrottle.check(ctx.ip, subject);
  if (await verifyPassword(password, share.passwordHash)) {
    await ctx.app.linkThrottle.succeed(ctx.ip, subject);
    return true;
  }
  await ctx.app.linkThrottle.fail(ctx.ip, subject);
  ctx.app.log.warn({ event: 'link_password_failed', shareId: share.id, ip: ctx.ip }, 'wrong link password');
  return false;
}

export function requireReadable(share: Share): void {
  if (!canRead(share.permissions)) throw new HttpError(403, 'This share does not allow downloads');
}
