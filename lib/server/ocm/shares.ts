import type { Routes } from '../http/router';
import { withIndex } from '../http/router';
import type { Ctx } from '../context';
import { str } from '../http/body';
import { HttpError } from '../http/errors';
import { sendJson } from '../http/respond';
import { parseOcmShare } from '../federation/ocm-input';
import { parseCloudId } from '../federation/cloud-id';
import { federationBody, receiveShare } from '../federation/receive';

// OCM POST /shares: a peer shares something with one of our users (stored as pending until they accept it). At
// /ocm/shares and at ownCloud 10's OCM endpoint /index.php/apps/federatedfilesharing/shares (ocm/discovery.ts).

async function ocmShares(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  if (!app.config.federationIncoming) throw new HttpError(501, 'Server does not support federated cloud sharing');
  const incoming = await federationBody(ctx, parseOcmShare, (p) => parseCloudId(str(p, 'owner') ?? '')?.remote);
  await app.federationLimiter.hit(`server:${incoming.sender}`);
  await receiveShare(app, incoming);
  sendJson(ctx.res, 201, []);
}

export function registerOcmShares(routes: Routes): void {
  routes.on(
    'POST',
    [...withIndex('/apps/federatedfilesharing/shares'), ...withIndex('/ocm/shares')],
    'json',
    ocmShares,
  );
}
