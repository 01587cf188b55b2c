import type { Routes } from '../app';
import { withIndex } from '../app';
import type { App, Ctx } from '../context';
import { basicPrincipal, checkCredentials, parseBasic } from '../http/auth';
import { str, type Params } from '../http/body';
import { HttpError } from '../http/errors';
import { checkCsrf, params } from '../http/forms';
import { ocsOk, ocsTarget } from '../http/ocs';
import { sendJson } from '../http/respond';
import { parseCloudId, remoteBase } from '../federation/cloud-id';
import { INVALID_NAME, validMountName } from '../federation/mount';
import { mountPublicLink } from '../federation/mount-link';
import { remoteProtocol } from '../federation/probe';

// Receiving side of federation: mounting a public link (`external`), testremote, OCM /shares + /notifications and the
// legacy OCS /cloud/shares endpoints.

const TOKEN_EXPIRED = { data: { message: 'Token expired. Please reload page.', error: 'token_expired' }, status: 'error' };

/**
 * Who calls `external`: a browser session with its request token (as ownCloud requires), or — our documented
 * improvement — Basic auth with a password or app password, which needs no request token because it cannot be forged
 * cross-site.
 */
async function externalCaller(ctx: Ctx, form: Params): Promise<string | undefined> {
  const basic = parseBasic(ctx.req.headers.authorization);
  if (basic) return (await checkCredentials(ctx, basic.user, basic.password)).uid;
  const session = ctx.app.sessions.find(ctx.req);
  if (session?.uid && checkCsrf(ctx, session, form)) return session.uid;
  return undefined;
}

async function external(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const form = await params(ctx);
  let uid: string | undefined;
  try {
    uid = await externalCaller(ctx, form);
  } catch (error) {
    if (error instanceof HttpError && error.status === 429) throw error;
    uid = undefined;
  }
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
  if (!basic && !ctx.app.sessions.find(ctx.req)?.uid) throw new HttpError(401, 'Current user is not logged in');
  sendJson(ctx.res, 200, await remoteProtocol(ctx.app, ctx.query.get('remote') ?? ''));
}

interface Incoming {
  uid: string;
  remote: string;
  remoteId: string;
  secret: string;
  name: string;
  owner: string;
}

/** Stores an incoming user share as pending; the user accepts it through remote_shares. */
function storeIncoming(app: App, incoming: Incoming): void {
  app.store.addRemoteShare({
    uid: incoming.uid, kind: 'user', remote: incoming.remote, remoteId: incoming.remoteId, shareToken: incoming.secret,
    password: '', name: incoming.name, owner: incoming.owner, mountpoint: `{{TemporaryMountPointName#/${incoming.name}}}`,
    accepted: false, itemType: 'folder', davUrl: `${remoteBase(incoming.remote)}/public.php/webdav/`,
  });
  app.log.info({ event: 'share_received', uid: incoming.uid, remote: incoming.remote }, 'federated share received');
}

const OCM_REQUIRED = ['shareWith', 'name', 'providerId', 'owner', 'shareType', 'resourceType'];

async function ocmShares(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const body = await params(ctx);
  if (!app.config.federationIncoming) throw new HttpError(501, 'Server does not support federated cloud sharing');
  const missing = OCM_REQUIRED.filter((key) => !str(body, key));
  if (missing.length > 0) throw new HttpError(400, `Required parameters are missing: ${OCM_REQUIRED.join(',')}`);
  const protocol = (typeof body.protocol === 'object' && body.protocol !== null ? body.protocol : {}) as Record<string, unknown>;
  const protocolName = String(protocol.name ?? '');
  if (protocolName !== 'webdav' && protocolName !== 'multi') throw new HttpError(501, `Protocol ${protocolName} is not supported`);
  if (str(body, 'shareType') !== 'user') throw new HttpError(501, `Share type ${str(body, 'shareType') ?? ''} is not supported`);
  const options = (protocol.options ?? protocol.webdav ?? {}) as Record<string, unknown>;
  const webdav = (protocol.webdav ?? {}) as Record<string, unknown>;
  const secret = String(options.sharedSecret ?? webdav.sharedSecret ?? '');
  if (!secret || secret.length > 128) throw new HttpError(400, 'Required parameters are missing: sharedSecret');
  const name = str(body, 'name') ?? '';
  if (!validMountName(name)) throw new HttpError(400, INVALID_NAME);
  const target = parseCloudId(str(body, 'shareWith') ?? '');
  if (!target || !app.store.getUser(target.user)) throw new HttpError(400, `User ${target?.user ?? str(body, 'shareWith') ?? ''} does not exist`);
  const owner = parseCloudId(str(body, 'owner') ?? '');
  if (!owner) throw new HttpError(400, 'Invalid owner');
  storeIncoming(app, {
    uid: target.user, remote: remoteBase(owner.remote), remoteId: str(body, 'providerId') ?? '', secret, name: name.trim(),
    owner: owner.user,
  });
  sendJson(ctx.res, 201, []);
}

/** Notifications from peers: about shares we sent (accepted/declined) or shares we received (unshared). */
async function ocmNotifications(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const body = await params(ctx);
  const type = str(body, 'notificationType');
  const providerId = str(body, 'providerId');
  const notification = (typeof body.notification === 'object' && body.notification !== null ? body.notification : {}) as Record<string, unknown>;
  const secret = typeof notification.sharedSecret === 'string' ? notification.sharedSecret : undefined;
  if (!type || !providerId || !secret) throw new HttpError(400, 'server can not add federated share, missing parameter');
  handleNotification(app, type, providerId, secret);
  sendJson(ctx.res, 201, []);
}

function handleNotification(app: App, type: string, providerId: string, secret: string): boolean {
  if (type === 'SHARE_ACCEPTED' || type === 'SHARE_DECLINED') {
    const id = Number(providerId);
    const share = Number.isInteger(id) ? app.store.getShare(id) : undefined;
    if (!share || share.shareType !== 6 || share.token !== secret) return false;
    if (type === 'SHARE_ACCEPTED') app.store.updateShare(share.id, { accepted: true });
    else app.store.deleteShare(share.id);
    app.log.info({ event: 'ocm_notification', type, shareId: share.id }, 'notification applied');
    return true;
  }
  if (type === 'SHARE_UNSHARED') {
    const received = app.store.findRemoteShareBySecret(providerId, secret);
    if (!received) return false;
    app.store.deleteRemoteShare(received.id);
    app.log.info({ event: 'ocm_notification', type, remoteShareId: received.id }, 'notification applied');
    return true;
  }
  return false;
}

const LEGACY_REQUIRED = ['remote', 'token', 'name', 'owner', 'remoteId', 'shareWith'];
const LEGACY = ['/ocs/v1.php/cloud/shares', '/ocs/v2.php/cloud/shares'];

async function legacyCreate(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const form = await params(ctx);
  if (LEGACY_REQUIRED.some((key) => !str(form, key))) throw new HttpError(400, `Required parameters are missing: ${LEGACY_REQUIRED.join(',')}`);
  const name = (str(form, 'name') ?? '').replace(/^\/+/, '');
  if (!validMountName(name)) throw new HttpError(400, INVALID_NAME);
  const shareWith = str(form, 'shareWith') ?? '';
  const uid = parseCloudId(shareWith)?.user ?? shareWith;
  if (!app.store.getUser(uid)) throw new HttpError(400, 'User does not exist');
  const secret = str(form, 'token') ?? '';
  if (secret.length > 128) throw new HttpError(400, 'Token too long');
  storeIncoming(app, { uid, remote: remoteBase(str(form, 'remote') ?? ''), remoteId: str(form, 'remoteId') ?? '', secret, name, owner: str(form, 'owner') ?? '' });
  ocsOk(ctx.res, ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept), []);
}

async function legacyAction(ctx: Ctx): Promise<void> {
  const form = await params(ctx);
  const id = ctx.params.id ?? '';
  const action = ctx.params.action;
  const type = action === 'accept' ? 'SHARE_ACCEPTED' : action === 'decline' ? 'SHARE_DECLINED' : action === 'unshare' ? 'SHARE_UNSHARED' : undefined;
  if (!type) throw new HttpError(404, 'Unknown action');
  if (!handleNotification(ctx.app, type, id, str(form, 'token') ?? '')) throw new HttpError(410, `Share with id ${id} does not exist`);
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
