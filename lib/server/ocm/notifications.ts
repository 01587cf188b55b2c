import type { Routes } from '../http/router';
import { withIndex } from '../http/router';
import type { Ctx } from '../context';
import { sendJson } from '../http/respond';
import { parseOcmNotification } from '../federation/ocm-input';
import { notificationPeer } from '../federation/incoming-signature';
import { federationBody, handleNotification } from '../federation/receive';

// OCM POST /notifications: a peer tells us about a share (accepted, declined, unshared). At /ocm/notifications and at
// /index.php/apps/federatedfilesharing/notifications.

/** Notifications from peers: about shares we sent (accepted/declined) or shares we received (unshared). */
async function ocmNotifications(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const { type, providerId, secret } = await federationBody(ctx, parseOcmNotification, (p) => notificationPeer(app, p));
  await handleNotification(app, type, providerId, secret);
  sendJson(ctx.res, 201, []);
}

export function registerOcmNotifications(routes: Routes): void {
  routes.on(
    'POST',
    [...withIndex('/apps/federatedfilesharing/notifications'), ...withIndex('/ocm/notifications')],
    'json',
    ocmNotifications,
  );
}
