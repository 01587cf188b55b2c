import type { App } from '../context';
import type { OutboxNotification } from '../store/outbox';
import { RemoteError, remoteJson, requireSameOrigin } from './fetch';
import { candidateBases, joinBase } from './cloud-id';
import { localSigningKey, peerKeys, type PeerKey } from './keys';
import { hostIdentity, signRequest } from './signature';

// Outgoing OCM calls: discovery of a peer's endPoint, sending a share, and notifications. Notifications go through
// the outbox (notification-outbox.ts): one the peer does not take now is tried again later, by any node.

interface OcmDiscovery {
  endPoint: string;
  /** Absolute URL of the peer's WebDAV for shared secrets (from shareTypes / resourceTypes), with trailing slash. */
  webdavUrl: string | undefined;
  /** The key the peer signs its OCM requests with (Nextcloud 31+, companions); ownCloud 10 advertises none. */
  publicKey: PeerKey | undefined;
}

/** The `publicKey` {keyId, publicKeyPem} of a discovery document, if it has a usable one. */
function advertisedKey(body: Record<string, unknown>): PeerKey | undefined {
  const key = body.publicKey as { keyId?: unknown; publicKeyPem?: unknown } | null | undefined;
  if (typeof key?.keyId !== 'string' || typeof key.publicKeyPem !== 'string' || !key.keyId || !key.publicKeyPem)
    return undefined;
  return { keyId: key.keyId, publicKeyPem: key.publicKeyPem };
}

/** The WebDAV path an OCM discovery document names (OCM 1.1 resourceTypes, then 1.0 shareTypes). */
export function webdavPath(body: Record<string, unknown>): string | undefined {
  for (const list of [body.resourceTypes, body.shareTypes]) {
    if (!Array.isArray(list)) continue;
    for (const item of list as { protocols?: { webdav?: unknown } }[]) {
      if (typeof item?.protocols?.webdav === 'string') return item.protocols.webdav;
    }
  }
  return undefined;
}

export async function discoverOcmEndpoint(app: App, remote: string): Promise<string> {
  return (await discoverOcm(app, remote)).endPoint;
}

/**
 * Whether a peer signs is known once it has been discovered: its unsigned requests are then checked without asking
 * again. Only a discovery at the root of a host speaks for the host (a sub-path may belong to someone else).
 */
function learnPeerKey(app: App, base: string, key: PeerKey | undefined): void {
  const identity = hostIdentity(base);
  if (identity && new URL(base).pathname.replace(/\/+$/, '') === '') peerKeys(app).learn(identity, key);
}

/**
 * OCM discovery of a peer: /ocm-provider/ (what ownCloud 10 serves), then /.well-known/ocm; https before http. The
 * endPoint and WebDAV URL it advertises must be on the origin we asked (we send shared secrets there).
 */
export async function discoverOcm(app: App, remote: string): Promise<OcmDiscovery> {
  let failure = new RemoteError('bad-response', 'Remote does not speak OCM');
  for (const base of candidateBases(remote)) {
    for (const path of ['/ocm-provider/', '/.well-known/ocm']) {
      try {
        const { status, body } = await remoteJson(app.outbound, `${base}${path}`);
        const endPoint = (body as { endPoint?: unknown } | undefined)?.endPoint;
        if (status === 200 && typeof endPoint === 'string' && /^https?:\/\//.test(endPoint)) {
          requireSameOrigin(base, endPoint, 'OCM endPoint');
          const webdav = webdavPath(body as Record<string, unknown>);
          const webdavUrl = webdav ? requireSameOrigin(base, joinBase(base, webdav), 'WebDAV') : undefined;
          const publicKey = advertisedKey(body as Record<string, unknown>);
          learnPeerKey(app, base, publicKey);
          return { endPoint: endPoint.replace(/\/+$/, ''), webdavUrl, publicKey };
        }
      } catch (error) {
        if (!(error instanceof RemoteError)) throw error;
        if (error.kind === 'refused' || error.kind === 'loop') throw error;
        failure = error;
        if (error.kind !== 'bad-response') break; // this scheme does not answer at all: try the next one
      }
    }
  }
  throw failure;
}

/**
 * POSTs to a peer's OCM endpoint, signed with the node's key (Nextcloud 31 refuses unsigned requests from a node that
 * advertises one).
 */
export async function postOcm(
  app: App,
  endPoint: string,
  path: '/shares' | '/notifications',
  payload: unknown,
): Promise<{ status: number; body: unknown }> {
  const url = `${endPoint}${path}`;
  const body = JSON.stringify(payload);
  const signature = signRequest({ method: 'POST', url, body }, await localSigningKey(app.config));
  return remoteJson(app.outbound, url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...signature },
  });
}

/**
 * How a peer took a notification: it has it, it refused it for good (a 4xx other than 408/429, or an address we may
 * not call), or it could not be reached or failed (worth trying again later).
 */
export type DeliveryOutcome = 'delivered' | 'refused' | 'failed';

/** Sends one OCM notification through the outbound path (public addresses only, timeouts, signed). */
export async function deliverNotification(
  app: App,
  notification: Pick<OutboxNotification, 'remote' | 'type' | 'providerId' | 'sharedSecret' | 'message'>,
): Promise<DeliveryOutcome> {
  const { remote, type } = notification;
  try {
    const endPoint = await discoverOcmEndpoint(app, remote);
    const { status } = await postOcm(app, endPoint, '/notifications', {
      notificationType: type,
      resourceType: 'file',
      providerId: notification.providerId,
      notification: { sharedSecret: notification.sharedSecret, message: notification.message },
    });
    app.log.info({ event: 'ocm_notification_sent', type, remote, status }, 'notification sent');
    if (status >= 200 && status < 300) return 'delivered';
    return status >= 400 && status < 500 && status !== 408 && status !== 429 ? 'refused' : 'failed';
  } catch (error) {
    app.log.warn(
      { event: 'ocm_notification_failed', type, remote, reason: error instanceof Error ? error.message : 'unknown' },
      'notification failed',
    );
    if (error instanceof RemoteError && (error.kind === 'refused' || error.kind === 'loop')) return 'refused';
    return 'failed';
  }
}
