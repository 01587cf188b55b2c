import type { App, Ctx } from '../context';
import type { Params } from '../http/body';
import { HttpError } from '../http/errors';
import { safeEqual } from '../secrets';
import { OCM_BODY_LIMIT, type IncomingShare } from './ocm-input';
import { readFederationRequest } from './incoming-signature';

// Receiving side of federation, shared by OCM (ocm/shares.ts, ocm/notifications.ts) and the legacy OCS federation API
// (ocs/cloud/shares.ts): reading an anonymous call from a peer, storing a received share, applying a notification.

/**
 * Stores a received user share as pending; the user accepts it through remote_shares. A share for a user we do not
 * have is answered exactly like one for a user we have, and nothing is stored, so peers cannot probe for accounts
 * (issue 8, finding 9; ownCloud and Nextcloud answer 400 "User … does not exist"). A user with `maxPendingShares`
 * shares still waiting gets no more until they accept or decline some.
 */
export async function receiveShare(app: App, incoming: IncomingShare): Promise<void> {
  if (!(await app.store.getUser(incoming.recipient))) {
    await app.store.countDroppedShare();
    app.log.info(
      { event: 'share_for_unknown_user_dropped', remote: incoming.remote },
      'federated share for an unknown user dropped',
    );
    return;
  }
  // A share the sender sends again (it got no answer, e.g. the node died after storing it) is answered as the first
  // time, also once the user has too many pending ones: the sender must not take it for refused. The store checks
  // both and stores in one step, so concurrent deliveries (maybe on several nodes) cannot pass the bound together.
  const result = await app.store.addReceivedShare(
    {
      uid: incoming.recipient,
      remote: incoming.remote,
      remoteId: incoming.remoteId,
      shareToken: incoming.secret,
      password: '',
      name: incoming.name,
      owner: incoming.owner,
      mountpoint: `{{TemporaryMountPointName#/${incoming.name}}}`,
      accepted: false,
      itemType: 'folder',
      davUrl: `${incoming.remote}/public.php/webdav/`,
    },
    app.config.maxPendingShares,
  );
  if (result === 'full') {
    app.log.warn(
      { event: 'share_refused_pending_full', uid: incoming.recipient, remote: incoming.remote },
      'too many pending shares',
    );
    throw new HttpError(400, 'The recipient has too many pending shares');
  }
  const isNew = result === 'stored';
  app.log.info(
    { event: isNew ? 'share_received' : 'share_received_again', uid: incoming.recipient, remote: incoming.remote },
    `federated share received${isNew ? '' : ' again'}`,
  );
}

/**
 * The body of an anonymous federation call: counted against the client's rate limit first (a 429 reads nothing),
 * bounded, validated by `parse`, and its signature checked against the server it claims to come from (`claimedPeer`).
 */
export async function federationBody<T>(
  ctx: Ctx,
  parse: (params: Params) => T,
  claimedPeer: (params: Params) => Promise<string | undefined> | string | undefined,
): Promise<T> {
  await ctx.app.federationLimiter.hit(`ip:${ctx.ip}`);
  return readFederationRequest(ctx, parse, claimedPeer, OCM_BODY_LIMIT);
}

/** Applies a notification about a share we sent (accepted, declined) or received (unshared); false if none matches. */
export async function handleNotification(app: App, type: string, providerId: string, secret: string): Promise<boolean> {
  if (type === 'SHARE_ACCEPTED' || type === 'SHARE_DECLINED') {
    const id = Number(providerId);
    const share = Number.isInteger(id) ? await app.store.getShare(id) : undefined;
    if (!share || share.shareType !== 6 || !safeEqual(share.token, secret)) return false;
    if (type === 'SHARE_ACCEPTED') await app.store.updateShare(share.id, { accepted: true });
    else await app.store.deleteShare(share.id);
    app.log.info({ event: 'ocm_notification', type, shareId: share.id }, 'notification applied');
    return true;
  }
  if (type === 'SHARE_UNSHARED') {
    const received = await app.store.findExternalShareBySecret(providerId, secret);
    if (!received) return false;
    await app.store.deleteExternalShare(received.id);
    app.log.info({ event: 'ocm_notification', type, remoteShareId: received.id }, 'notification applied');
    return true;
  }
  return false;
}
