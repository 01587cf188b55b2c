import path from 'node:path';
import type { Routes } from '../../../http/router';
import { withIndex } from '../../../http/router';
import type { Ctx } from '../../../context';
import { str } from '../../../http/body';
import { HttpError } from '../../../http/errors';
import { params } from '../../../http/forms';
import { sendJson } from '../../../http/respond';
import { parseCloudId } from '../../../federation/cloud-id';
import { sendUserShare } from '../../../federation/send';
import { canRead, READ } from '../../../shares/permissions';
import { liveShare, passwordOpens } from '../../../shares/public-access';

// Nextcloud's sharer-side "Add to your cloud" (docs/protocols.md#create-federated-share): an anonymous visitor of a
// link asks us to send a federated share of it to their cloud id. Failures are throttled like password guesses.

async function createFederatedShare(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const form = await params(ctx);
  if (!app.config.federationOutgoing) throw new HttpError(400, "This server doesn't support outgoing federated shares");
  const shareWith = str(form, 'shareWith') ?? '';
  const cloudId = parseCloudId(shareWith);
  if (!cloudId) throw new HttpError(400, 'Invalid Federated Cloud ID');
  const token = str(form, 'token');
  await app.linkThrottle.check(ctx.ip, 'token-guess');
  const share = await liveShare(ctx, token);
  if (!share) {
    await app.linkThrottle.fail(ctx.ip, 'token-guess');
    throw new HttpError(400, 'Share not found');
  }
  const unlockedInSession = (await app.sessions.find(ctx.req))?.unlockedShares.has(share.id) ?? false;
  if (!unlockedInSession && !(await passwordOpens(ctx, share, str(form, 'password') ?? '')))
    throw new HttpError(400, 'No permission to access the share');
  if (!canRead(share.permissions)) throw new HttpError(400, 'Mounting file drop not supported');
  try {
    // The share is made from the link and stays bound to it: same expiry, never more than the link allows, and it
    // dies with the link (shares/public-access.ts checks the link on every read, shares/follow.ts deletes with it).
    await sendUserShare(app, share.owner, share.path, share.itemType, shareWith, {
      permissions: share.permissions & READ,
      parentId: share.id,
      expiration: share.expiration,
    });
  } catch (error) {
    if (error instanceof HttpError) throw new HttpError(400, error.message);
    throw error;
  }
  app.log.info(
    { event: 'federated_share_from_link', shareId: share.id, name: path.posix.basename(share.path) },
    'link sent to cloud id',
  );
  sendJson(ctx.res, 200, { remoteUrl: cloudId.remote });
}

export function registerCreateFederatedShare(routes: Routes): void {
  routes.on('POST', withIndex('/apps/federatedfilesharing/createFederatedShare'), 'json', createFederatedShare);
}
