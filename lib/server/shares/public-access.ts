import type { Ctx } from '../context';
import { HttpError } from '../http/errors';
import { verifyPassword } from '../secrets';
import type { Share } from '../store/types';
import { isExpired } from './policy';

// Anonymous access to our shares: looking a token up and checking its password, with guessing throttled per
// (client IP, token) and per token (backoff, see http/throttle.ts). Expired and deleted links look exactly like tokens
// that never existed.

export function liveShare(ctx: Ctx, token: string | undefined, types: ReadonlyArray<3 | 6> = [3]): Share | undefined {
  if (!token || !/^[A-Za-z0-9]{1,64}$/.test(token)) return undefined;
  const share = ctx.app.store.getShareByToken(token);
  if (!share || !types.includes(share.shareType) || isExpired(share)) return undefined;
  return share;
}

/** True if `password` opens the share; failures count towards the throttle, and a blocked key throws 429. */
export async function passwordOpens(ctx: Ctx, share: Share, password: string): Promise<boolean> {
  if (!share.passwordHash) return true;
  const subject = `link:${share.token}`;
  ctx.app.linkThrottle.check(ctx.ip, subject);
  if (await verifyPassword(password, share.passwordHash)) {
    ctx.app.linkThrottle.succeed(ctx.ip, subject);
    return true;
  }
  ctx.app.linkThrottle.fail(ctx.ip, subject);
  ctx.app.log.warn({ event: 'link_password_failed', shareId: share.id, ip: ctx.ip }, 'wrong link password');
  return false;
}

export function requireReadable(share: Share): void {
  if ((share.permissions & 1) === 0) throw new HttpError(403, 'This share does not allow downloads');
}
