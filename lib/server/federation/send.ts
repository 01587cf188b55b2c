import type { App } from '../context';
import { HttpError } from '../http/errors';
import { randomToken } from '../secrets';
import type { Share } from '../store/types';
import { DerivedSharesFullError } from '../store/errors';
import { ownCloudId, parseCloudId, remoteBase } from './cloud-id';
import { RemoteError } from './fetch';
import { discoverOcmEndpoint, postOcm } from './ocm-client';
import { sendNotification } from './notification-outbox';
import { itemKeyAt } from '../shares/items';
import { READ } from '../shares/permissions';

// Sending a federated user share (shareType 6) over OCM, as ownCloud 10 does (captures s2s-via-8112-to-bob/002):
// we store the share first (its id is the OCM providerId, its token the shared secret the receiver uses as WebDAV user
// on our /public.php/webdav), then POST {endPoint}/shares. If the peer does not take it, the share is removed again.

/**
 * Shares made from one link at most. Anyone with the link may ask for one (createFederatedShare), to any cloud that
 * accepts it, so without a bound one link could fill the shares table.
 */
const MAX_SHARES_FROM_LINK = 1000;

/** What a share made from a link inherits from it (see shares/public-access.ts). */
interface ShareOrigin {
  permissions?: number;
  parentId?: number;
  expiration?: string | null;
}

export async function sendUserShare(
  app: App,
  owner: string,
  path: string,
  itemType: 'file' | 'folder',
  shareWith: string,
  origin: ShareOrigin = {},
): Promise<Share> {
  if (!app.config.federationOutgoing) throw new HttpError(403, 'Outgoing federated sharing is disabled on this server');
  const cloudId = parseCloudId(shareWith);
  if (!cloudId) throw new HttpError(400, 'Invalid Federated Cloud ID');
  if (
    remoteBase(cloudId.remote).replace(/^https?:\/\//, '') === app.config.publicUrl.replace(/^https?:\/\//, '') &&
    cloudId.user === owner
  ) {
    throw new HttpError(403, 'Not allowed to create a federated share with the same user');
  }
  const name = path.split('/').filter(Boolean).at(-1) ?? '';
  const share = await app.store
    .addShare(
      {
        shareType: 6,
        owner,
        path,
        itemType,
        permissions: origin.permissions ?? READ,
        token: randomToken(15),
        passwordHash: null,
        expiration: origin.expiration ?? null,
        name: null,
        shareWith: `${cloudId.user}@${cloudId.remote}`,
        itemKey: await itemKeyAt(app, owner, path),
        parentId: origin.parentId ?? null,
      },
      MAX_SHARES_FROM_LINK,
    )
    .catch((error: unknown) => {
      if (error instanceof DerivedSharesFullError)
        throw new HttpError(403, `Sharing ${name} failed: this link was sent to too many clouds already`);
      throw error;
    });
  const failed = new HttpError(
    403,
    `Sharing ${name} failed, could not find ${shareWith}, maybe the server is currently unreachable.`,
  );
  try {
    const endPoint = await discoverOcmEndpoint(app, cloudId.remote);
    const ownerUser = await app.store.getUser(owner);
    // ownCloud sends the owner with the scheme when it is http ("alice@http://127.0.0.1:8111").
    const ownerId = ownCloudId(owner, app.config.publicUrl);
    const { status, body } = await postOcm(app, endPoint, '/shares', {
      shareWith: `${cloudId.user}@${cloudId.remote.replace(/^https:\/\//, '')}`,
      name,
      providerId: String(share.id),
      owner: ownerId,
      ownerDisplayName: ownerUser?.displayName ?? owner,
      sender: ownerId,
      senderDisplayName: ownerUser?.displayName ?? owner,
      shareType: 'user',
      resourceType: 'file',
      protocol: {
        name: 'webdav',
        options: { sharedSecret: share.token },
        webdav: { sharedSecret: share.token, permissions: ['read'] },
      },
    });
    if (status < 200 || status >= 300) {
      const message = (body as { message?: unknown } | undefined)?.message;
      app.log.warn({ event: 'ocm_share_refused', status, remote: cloudId.remote }, 'peer refused share');
      throw typeof message === 'string' ? new HttpError(403, `Sharing ${name} failed: ${peerReason(message)}`) : failed;
    }
  } catch (error) {
    await app.store.deleteShare(share.id);
    if (error instanceof HttpError) throw error;
    // An address we may not call (local, this node, another origin) is said as such: nothing was sent there.
    if (error instanceof RemoteError && (error.kind === 'refused' || error.kind === 'loop'))
      throw new HttpError(403, `Sharing ${name} failed: ${error.message}`);
    throw failed;
  }
  app.log.info({ event: 'ocm_share_sent', shareId: share.id, remote: cloudId.remote }, 'federated share sent');
  return share;
}

/** Tells the receiver of a shareType 6 share that it is gone (SHARE_UNSHARED). */
export async function unshareUserShare(app: App, share: Share): Promise<void> {
  const cloudId = share.shareWith ? parseCloudId(share.shareWith) : undefined;
  if (!cloudId) return;
  // Queued right after the share was deleted (retireShares): a node dying in between leaves the receiver a mount that
  // no longer opens (our WebDAV refuses the secret), which it shows as unavailable.
  await sendNotification(app, {
    remote: cloudId.remote,
    type: 'SHARE_UNSHARED',
    providerId: String(share.id),
    sharedSecret: share.token,
    message: 'File was unshared',
  });
}

/** The longest reason of a peer's refusal we pass on; a hostile peer may send a megabyte of it. */
const MAX_PEER_REASON = 300;

/**
 * A peer's refusal as one line for our user (the peer chose the words, so they are only passed on, never trusted):
 * control characters and runs of white space become one space, and a long text is cut with an ellipsis.
 */
export function peerReason(message: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed here
  const oneLine = message.replace(/[\u0000-\u001f\u007f-\u009f\s]+/gu, ' ').trim();
  return oneLine.length > MAX_PEER_REASON ? `${oneLine.slice(0, MAX_PEER_REASON - 1)}…` : oneLine;
}
