import type { Routes } from '../../http/router';
import type { Ctx } from '../../context';
import { str } from '../../http/body';
import { HttpError } from '../../http/errors';
import { ocsOk, ocsTarget } from '../../http/ocs';
import { legacyActionToken, MAX_LENGTH, parseLegacyShare } from '../../federation/ocm-input';
import { sharePeer } from '../../federation/incoming-signature';
import { federationBody, handleNotification, receiveShare } from '../../federation/receive';

// /ocs/v{1,2}.php/cloud/shares: the federation API of ownCloud before OCM (a share arrives by POST, and
// /cloud/shares/ID/accept|decline|unshare tell about one), still spoken by older peers.

const LEGACY = ['/ocs/v1.php/cloud/shares', '/ocs/v2.php/cloud/shares'];

async function legacyCreate(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const incoming = await federationBody(ctx, parseLegacyShare, (p) => str(p, 'remote'));
  await app.federationLimiter.hit(`server:${incoming.sender}`);
  await receiveShare(app, incoming);
  ocsOk(ctx.res, ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept), []);
}

async function legacyAction(ctx: Ctx): Promise<void> {
  const id = ctx.params.id ?? '';
  const action = ctx.params.action;
  const type =
    action === 'accept'
      ? 'SHARE_ACCEPTED'
      : action === 'decline'
        ? 'SHARE_DECLINED'
        : action === 'unshare'
          ? 'SHARE_UNSHARED'
          : undefined;
  if (!type) throw new HttpError(404, 'Unknown action');
  const token = await federationBody(ctx, legacyActionToken, (p) => sharePeer(ctx.app, type, id, str(p, 'token')));
  if (id.length > MAX_LENGTH.id || !(await handleNotification(ctx.app, type, id, token)))
    throw new HttpError(410, `Share with id ${id.slice(0, MAX_LENGTH.id)} does not exist`);
  ocsOk(ctx.res, ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept), []);
}

export function registerLegacyFederation(routes: Routes): void {
  routes.on('POST', LEGACY, 'ocs', legacyCreate);
  routes.on(
    'POST',
    LEGACY.map((base) => `${base}/:id/:action`),
    'ocs',
    legacyAction,
  );
}
