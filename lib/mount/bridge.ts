import type { PublicLinkMount } from '@/lib/instance/client';
import { failWith } from '@/lib/instance/errors';
import type { RemoteShare } from '@/lib/instance/remote-shares';
import { mountPathOf, verify, waitForArrival } from './arrival';
import { findShare, type ShareIdentity } from './match';
import {
  linkMount,
  type BridgeAccount,
  type MountDeps,
  type MountOutcome,
  type MountRequest,
  type Sleep,
} from './request';

/** The `bridge` path: the user's companion mounts the link and passes it on; then it is awaited on the instance. */
export async function viaBridge(
  request: MountRequest,
  deps: MountDeps,
  sleep: Sleep,
): Promise<MountOutcome | undefined> {
  if (!deps.bridge) return undefined;
  const passedOn = await passThroughBridge(deps.bridge, linkMount(request), request.cloudId);
  const arrived = await waitForArrival(passedOn, deps, sleep);
  if (!arrived) throw failWith('timeout', { code: 'share-not-arrived', server: request.cloudId, from: 'bridge' });
  return verify(arrived, deps, request.cloudId);
}

const linkOf = (mount: PublicLinkMount): ShareIdentity => ({
  remote: mount.remote,
  token: mount.token,
  name: mount.name,
  owner: mount.owner,
  ownerDisplayName: mount.ownerDisplayName,
});

/**
 * How a mount of the bridge account appears on the user's instance once passed on. The owner shows as the uid on
 * ownCloud and the companion, as the display name the bridge sent on Nextcloud (captured: Nextcloud lists an OCM
 * share under the sender's `ownerDisplayName`), or as the bridge account's cloud id when no name was sent.
 */
const passedOnIdentity = (bridge: BridgeAccount, mounted: RemoteShare): ShareIdentity => ({
  remote: bridge.baseUrl,
  token: '',
  name: mountPathOf(mounted),
  owner: bridge.userId,
  ownerDisplayName: bridge.displayName,
  ownerCloudId: bridge.cloudId,
});

/** The passed-on identity of this link if the bridge already holds it (an earlier add), without changing anything. */
export async function bridgedIdentity(
  bridge: BridgeAccount,
  mount: PublicLinkMount,
): Promise<ShareIdentity | undefined> {
  const mounted = findShare(await bridge.api.remoteShares(), linkOf(mount));
  return mounted && passedOnIdentity(bridge, mounted);
}

/**
 * Pairs that cannot federate directly (an ownCloud 10 link into Nextcloud, oCIS links) go through a companion the
 * user controls (docs/protocols.md#companion-bridge): the bridge mounts the public link for the bridge account, then
 * shares that mount with the user's cloud id over OCM; the instance reads through the bridge to the original link.
 * Returns how the passed-on share will appear on the user's instance. Mounting is skipped when the bridge
 * already has this link (a retry after a half-done add).
 */
async function passThroughBridge(
  bridge: BridgeAccount,
  mount: PublicLinkMount,
  cloudId: string,
): Promise<ShareIdentity> {
  let mounted = findShare(await bridge.api.remoteShares(), linkOf(mount));
  if (!mounted) {
    await bridge.api.mountPublicLink(mount);
    mounted = findShare(await bridge.api.remoteShares(), linkOf(mount));
  }
  if (!mounted) throw failWith('bad-response', { code: 'bridge-lost-share', server: bridge.cloudId });
  await bridge.api.shareWithCloudId(mountPathOf(mounted), cloudId);
  return passedOnIdentity(bridge, mounted);
}
