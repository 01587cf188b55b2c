import type { App, Ctx } from '../context';
import { parseParams, readBody, str, type Params } from '../http/body';
import { HttpError } from '../http/errors';
import { safeEqual } from '../secrets';
import { parseCloudId } from './cloud-id';
import { RemoteError } from './fetch';
import { localSigningKey, PeerKeyUnavailableError, peerKeys, type PeerKey } from './keys';
import { PEER_UNREACHABLE_TTL_MS } from '../timeouts';
import { discoverOcm } from './ocm-client';
import { outsideRequestScope } from './request-scope';
import { checkSignature, hostIdentity, type SignatureCheck } from './signature';

// Who is really calling our server-to-server endpoints. Rules (Nextcloud 31's, RequestHandlerController):
// - a signed request must verify with the key its keyId's server advertises in /ocm-provider/, and that server must
//   be the one the request speaks for (the share's owner, the server a notified share belongs to);
// - an unsigned request is refused when the server it speaks for advertises a key: such a server signs everything.
//   Nextcloud refuses only after it has stored that server's key; we ask the server (cached), which also closes the
//   first contact;
// - an unsigned request for a server without a key (ownCloud 10, older Nextcloud) is accepted as before, but only when
//   that server's discovery actually answered without a key. When it cannot be asked (down, named by an address that
//   fails: its IP with a TLS or trusted-domain error, a timeout, a broken answer) and we know no key of it, whether it
//   signs is unknown: the request is refused as temporarily unverifiable (503), never waved through.
//   A server this node may never call (a private address without --allow-local-remotes, this node, an endpoint on
//   another origin) cannot be asked later either: refused for good (400).
// Every refusal of a request shown to be wrong is 400 {"message": …} with Nextcloud's messages.

/**
 * Asks a peer for its key through OCM discovery (which also tells the node's key cache). Outside the caller's request
 * scope: the caller must not be able to make the asking fail, by a high hop header or by hanging up mid-request, and
 * so have a server refused for a minute for everyone else (the cache remembers an unreachable peer).
 */
const askPeer = (app: App) => async (identity: string) => {
  // This node never calls itself (outbound.ts refuses), which would make it a server without a key: it has one.
  if (identity === hostIdentity(app.config.publicUrl)) {
    const { keyId, publicKeyPem } = await localSigningKey(app.config);
    return { keyId, publicKeyPem };
  }
  return (await outsideRequestScope(() => discoverOcm(app, identity))).publicKey;
};

/**
 * Reads the body of a server-to-server call and checks that it comes from the server it claims. `claimedPeer` names
 * that server (a URL or the remote part of a cloud id) from the parameters, or undefined when they name none (the
 * handler then refuses or ignores the request itself).
 */
export async function readFederationRequest<T>(
  ctx: Ctx,
  parse: (params: Params) => T,
  claimedPeer: (params: Params) => Promise<string | undefined> | string | undefined,
  limit: number,
): Promise<T> {
  const raw = await readBody(ctx.req, limit);
  const params = parseParams(raw, ctx.req.headers['content-type'], ctx.query);
  // Validation first: a malformed request is refused alike whoever sent it, without asking any server. Nothing of it
  // is stored or acted on before its origin is confirmed below.
  const parsed = parse(params);
  const claimed = await claimedPeer(params);
  const check = checkSignature({
    method: ctx.req.method ?? 'POST',
    target: ctx.req.url ?? '/',
    headers: ctx.req.headers,
    body: raw,
  });
  const identity = claimed === undefined ? undefined : hostIdentity(claimed);
  // A server named in a form no identity can be read from could not be checked at all: refused, not waved through.
  if (claimed !== undefined && identity === undefined) throw new HttpError(400, 'Invalid remote server address');
  await confirmOrigin(ctx.app, check, identity);
  return parsed;
}

/** Refuses a request whose origin is shown to be wrong (400 with Nextcloud's message), logged with the reason. */
function refuseOrigin(app: App, message: string, log: { reason: string; claimed?: string; origin?: string }): never {
  app.log.warn({ event: 'ocm_origin_refused', ...log }, 'server-to-server request refused');
  throw new HttpError(400, message);
}

async function confirmOrigin(app: App, check: SignatureCheck, claimed: string | undefined): Promise<void> {
  const origin = check.kind === 'signed' ? check.origin : undefined;
  const refuse = (message: string, reason: string): never => refuseOrigin(app, message, { reason, claimed, origin });
  if (check.kind === 'invalid') refuse('Invalid signature', check.reason);
  if (check.kind === 'signed') {
    const verified = await verifyWithPeerKey(app, check);
    if (verified === false) refuse('Invalid signature', 'signature does not verify with the key the sender advertises');
    if (verified === true) {
      if (claimed !== undefined && claimed !== check.origin) {
        refuse(`remote instance ${claimed} not linked to origin ${check.origin}`, 'signed by another server');
      }
      app.log.debug({ event: 'ocm_signature_verified', origin: check.origin }, 'signed server-to-server request');
      return;
    }
    // The keyId's server advertises no key: as Nextcloud does, the request counts as unsigned.
  }
  if (claimed !== undefined && (await claimedPeerKey(app, claimed))) {
    refuse('instance is supposed to sign its request', 'unsigned request for a server that signs');
  }
}

/**
 * Seconds a sender should wait before trying again: the time the cache holds "unreachable" before asking again.
 * 503 with Retry-After rather than 400/401/403, because nothing is known to be wrong with the request: the server it
 * speaks for may only be down for a moment. Our own outbox tries a notification again after a 5xx but drops it for
 * good after a 4xx other than 408/429 (ocm-client.ts, deliverNotification); ownCloud 10 and Nextcloud queue a failed
 * notification for a retry job whatever the failure; a share that fails to arrive is reported to its sharer either
 * way, and 503 tells them (and an admin reading logs) that trying later may work.
 */
const RETRY_AFTER_SECONDS = String(Math.ceil(PEER_UNREACHABLE_TTL_MS / 1000));

/**
 * The key of the server an unsigned request speaks for. When none is known and that server cannot be asked: 400 if
 * this node may never call it (its address is refused), else 503.
 */
async function claimedPeerKey(app: App, claimed: string): Promise<PeerKey | undefined> {
  try {
    return await peerKeys(app).get(claimed, askPeer(app));
  } catch (error) {
    if (!(error instanceof PeerKeyUnavailableError)) throw error;
    // An address this node may not call (private, this node, an endpoint on another origin) stays one: asking again
    // later cannot help, so this is a refusal for good, not a "try later".
    if (error.cause instanceof RemoteError && error.cause.kind === 'refused') {
      const reason = error.cause.message;
      refuseOrigin(app, `remote instance ${claimed} cannot be verified: ${reason}`, { reason, claimed });
    }
    app.log.warn(
      {
        event: 'ocm_origin_unverifiable',
        claimed,
        reason: error.cause instanceof Error ? error.cause.message : 'unknown',
      },
      'server-to-server request refused for now: the server it speaks for cannot be asked for its key',
    );
    throw new HttpError(503, `remote instance ${claimed} cannot be verified now, try again later`, undefined, {
      'Retry-After': RETRY_AFTER_SECONDS,
    });
  }
}

/**
 * true/false when the keyId's server advertises a key, 'no-key' when it advertises none or cannot be asked (the
 * request then counts as unsigned: the server it speaks for must have answered without a key for it to pass).
 */
async function verifyWithPeerKey(
  app: App,
  check: Extract<SignatureCheck, { kind: 'signed' }>,
): Promise<boolean | 'no-key'> {
  const cache = peerKeys(app);
  const matches = (key: { keyId: string; publicKeyPem: string }) =>
    key.keyId === check.keyId && check.verifyWith(key.publicKeyPem);
  const cached = await keyOrNone(cache.get(check.origin, askPeer(app)));
  if (!cached) return 'no-key';
  if (matches(cached)) return true;
  // The peer may have a new key: ask once more (rate-limited per peer inside the cache).
  const fresh = await keyOrNone(cache.refresh(check.origin, askPeer(app)));
  if (!fresh) return 'no-key';
  return matches(fresh);
}

/** A signer's key, or undefined when it has none or cannot be asked (other failures, e.g. of the store, go on). */
async function keyOrNone<K>(lookup: Promise<K | undefined>): Promise<K | undefined> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof PeerKeyUnavailableError) return undefined;
    throw error;
  }
}

/**
 * The server a notification about one of our shares may come from: for SHARE_ACCEPTED/DECLINED the receiver of the
 * share we sent, for SHARE_UNSHARED the owner of the share we received. Undefined when no share matches.
 */
export async function sharePeer(
  app: App,
  type: string | undefined,
  providerId: string | undefined,
  secret: string | undefined,
): Promise<string | undefined> {
  if (!providerId || !secret) return undefined;
  if (type === 'SHARE_ACCEPTED' || type === 'SHARE_DECLINED') {
    const share = /^\d+$/.test(providerId) ? await app.store.getShare(Number(providerId)) : undefined;
    if (!share || share.shareType !== 6 || !safeEqual(share.token, secret) || !share.shareWith) return undefined;
    return parseCloudId(share.shareWith)?.remote;
  }
  if (type === 'SHARE_UNSHARED') return (await app.store.findExternalShareBySecret(providerId, secret))?.remote;
  return undefined;
}

/** sharePeer for an OCM notification body ({notificationType, providerId, notification: {sharedSecret}}). */
export async function notificationPeer(app: App, body: Params): Promise<string | undefined> {
  const notification = body.notification as { sharedSecret?: unknown } | null | undefined;
  const secret = typeof notification?.sharedSecret === 'string' ? notification.sharedSecret : undefined;
  return sharePeer(app, str(body, 'notificationType'), str(body, 'providerId'), secret);
}
