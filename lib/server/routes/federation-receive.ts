import type { Routes } from '../app';
import { withIndex } from '../app';
import type { App, Ctx } from '../context';
import { basicPrincipal, csrfCheckFailed, hasCsrfProof } from '../http/auth';
import { str, type Params } from '../http/body';
import { HttpError } from '../http/errors';
import { checkCsrf, params } from '../http/forms';
import { ocsOk, ocsTarget } from '../http/ocs';
import { sendJson } from '../http/respond';
import {
  legacyActionToken, MAX_LENGTH, OCM_BODY_LIMIT, parseLegacyShare, parseOcmNotification, parseOcmShare, type IncomingShare,
} from '../federation/ocm-input';
import { parseCloudId } from '../federation/cloud-id';
import { mountPublicLink } from '../federation/mount-link';
import { remoteProtocol } from '../federation/probe';
import { notificationPeer, readFederationRequest, sharePeer } from '../federation/incoming-signature';

// Receiving side of federation: mounting a public link (`external`), testremote, OCM /shares + /notifications and the
// legacy OCS /cloud/shares endpoints.

const TOKEN_EXPIRED = { data: { message: 'Token expired. Please reload page.', error: 'token_expired' }, status: 'error' };

/**
 * Who calls `external`: a browser session with its request token (as ownCloud requires; `OCS-APIRequest: true` also
 * passes, as in Nextcloud 30+), or — our documented improvement — Basic auth with a password or app password plus
 * `OCS-APIRequest: true`. Basic without that header is a possible cross-site form riding on cached credentials: 412.
 * Wrong Basic credentials are answered like a missing session (token_expired) and count towards the throttle.
 */
async function externalCaller(ctx: Ctx, form: Params): Promise<string | undefined> {
  let basic;
  try {
    basic = await basicPrincipal(ctx);
  } catch (error) {
    if (error instanceof HttpError && error.status === 429) throw error;
    return undefined;
  }
  if (basic) {
    if (!(await hasCsrfProof(ctx))) throw csrfCheckFailed();
    return basic.uid;
  }
  const session = await ctx.app.sessions.find(ctx.req);
  if (session?.uid && (checkCsrf(ctx, session, form) || (await hasCsrfProof(ctx, session)))) return session.uid;
  return undefined;
}

async function external(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const form = await params(ctx);
  const uid = await externalCaller(ctx, form);
  if (!uid) return sendJson(ctx.res, 200, TOKEN_EXPIRED);
  const result = await mountPublicLink(app, uid, form);
  if (!result.ok) return sendJson(ctx.res, 200, { data: { message: result.message }, status: 'error' });
  // ownCloud answers success with an empty 200.
  ctx.res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8', 'Content-Length': 0 });
  ctx.res.end();
}

/**
 * testremote makes this server call the address it is given, so only a logged-in user may ask (ownCloud lets anyone,
 * which turns it into a port scanner); the address rules of every other outgoing call apply as well.
 */
async function testRemote(ctx: Ctx): Promise<void> {
  ctx.req.resume();
  const basic = await basicPrincipal(ctx);
  if (!basic && !(await ctx.app.sessions.find(ctx.req))?.uid) throw new HttpError(401, 'Current user is not logged in');
  sendJson(ctx.res, 200, await remoteProtocol(ctx.app, ctx.query.get('remote') ?? ''));
}

/**
 * Stores a received user share as pending; the user accepts it through remote_shares. A share for a user we do not
 * have is answered exactly like one for a user we have, and nothing is stored, so peers cannot probe for accounts
 * (issue 8, finding 9; ownCloud and Nextcloud answer 400 "User … does not exist"). A user with `maxPendingShares`
 * shares still waiting gets no more until they accept or decline some.
 */
async function receiveShare(app: App, incoming: IncomingShare): Promise<void> {
  if (!(await app.store.getUser(incoming.recipient))) {
    await app.store.countDroppedShare();
    app.log.info({ event: 'share_for_unknown_user_dropped', remote: incoming.remote }, 'federated share for an unknown user dropped');
    return;
  }
  if ((await app.store.countRemoteShares(incoming.recipient, false)) >= app.config.maxPendingShares) {
    app.log.warn({ event: 'share_refused_pending_full', uid: incoming.recipient, remote: incoming.remote }, 'too many pending shares');
    throw new HttpError(400, 'The recipient has too many pending shares');
  }
  await app.store.addRemoteShare({
    uid: incoming.recipient, kind: 'user', remote: incoming.remote, remoteId: incoming.remoteId, shareToken: incoming.secret,
    password: '', name: incoming.name, owner: incoming.owner, mountpoint: `{{TemporaryMountPointName#/${incoming.name}}}`,
    accepted: false, itemType: 'folder', davUrl: `${incoming.remote}/public.php/webdav/`,
  });
  app.log.info({ event: 'share_received', uid: incoming.recipient, remote: incoming.remote }, 'federated share received');
}

/**
 * The body of an anonymous federation call: counted against the client's rate limit first (a 429 reads nothing),
 * bounded, and its signature checked against the server it claims to come from (`claimedPeer`).
 */
async function federationBody(ctx: Ctx, claimedPeer: (params: Params) => Promise<string | undefined> | string | undefined): Promise<Params> {
  await ctx.app.federationLimiter.hit(`ip:${ctx.ip}`);
  return readFederationRequest(ctx, claimedPeer, OCM_BODY_LIMIT);
}

async function ocmShares(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  if (!app.config.federationIncoming) throw new HttpError(501, 'Server does not support federated cloud sharing');
  const incoming = parseOcmShare(await federationBody(ctx, (p) => parseCloudId(str(p, 'owner') ?? '')?.remote));
  await app.federationLimiter.hit(`server:${incoming.sender}`);
  await receiveShare(app, incoming);
  sendJson(ctx.res, 201, []);
}

/** Notifications from peers: about shares we sent (accepted/declined) or shares we received (unshared). */
async function ocmNotifications(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const { type, providerId, secret } = parseOcmNotification(await federationBody(ctx, (p) => notificationPeer(app, p)));
  await handleNotification(app, type, providerId, secret);
  sendJson(ctx.res, 201, []);
}

async function handleNotification(app: App, type: string, providerId: string, secret: string): Promise<boolean> {
  if (type === 'SHARE_ACCEPTED' || type === 'SHARE_DECLINED') {
    const id = Number(providerId);
    const share = Number.isInteger(id) ? await app.store.getShare(id) : undefined;
    if (!share || share.shareType !== 6 || share.token !== secret) return false;
    if (type === 'SHARE_ACCEPTED') await app.store.updateShare(share.id, { accepted: true });
    else await app.store.deleteShare(share.id);
    app.log.info({ event: 'ocm_notification', type, shareId: share.id }, 'notification applied');
    return true;
  }
  if (type === 'SHARE_UNSHARED') {
    const received = await app.store.findRemoteShareBySecret(providerId, secret);
    if (!received) return false;
    await app.store.deleteRemoteShare(received.id);
    app.log.info({ event: 'ocm_notification', type, remoteShareId: received.id }, 'notification applied');
    return true;
  }
  return false;
}

const LEGACY = ['/ocs/v1.php/cloud/shares', '/ocs/v2.php/cloud/shares'];

async function legacyCreate(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const incoming = parseLegacyShare(await federationBody(ctx, (p) => str(p, 'remote')));
  await app.federationLimiter.hit(`server:${incoming.sender}`);
  await receiveShare(app, incoming);
  ocsOk(ctx.res, ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept), []);
}

async function legacyAction(ctx: Ctx): Promise<void> {
  const id = ctx.params.id ?? '';
  const action = ctx.params.action;
  const type = action === 'accept' ? 'SHARE_ACCEPTED' : action === 'decline' ? 'SHARE_DECLINED' : action === 'unshare' ? 'SHARE_UNSHARED' : undefined;
  if (!type) throw new HttpError(404, 'Unknown action');
  const token = legacyActionToken(await federationBody(ctx, (p) => sharePeer(ctx.app, type, id, str(p, 'token'))));
  if (id.length > MAX_LENGTH.id || !(await handleNotification(ctx.app, type, id, token))) throw new HttpError(410, `Share with id ${id.slice(0, MAX_LENGTH.id)} does not exist`);
  ocsOk(ctx.res, ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept), []);
}

export function registerFederationReceive(routes: Routes): void {
  routes.on('POST', withIndex('/apps/files_sharing/external'), 'json', external);
  routes.on('GET', withIndex('/apps/files_sharing/testremote'), 'json', testRemote);
  routes.on('POST', [...withIndex('/apps/federatedfilesharing/shares'), ...withIndex('/ocm/shares')], 'json', ocmShares);
  routes.on('POST', [...withIndex('/apps/federatedfilesharing/notifications'), ...withIndex('/ocm/notifications')], 'json', ocmNotifications);
  routes.on('POST', LEGACY, 'ocs', legacyCreate);
  routes.on('POST', LEGACY.map((base) => `${base}/:id/:action`), 'ocs', legacyAction);
}
