import type { PublicLinkMount } from '@/lib/instance/client';
import type { RemoteShare } from '@/lib/instance/remote-shares';
import type { Problem } from '@/lib/problem';
import type { ShareIdentity } from './match';
import type { MountPath } from './strategy';

/*
 * What an add hands to the mount (run.ts) and to each of its paths (one module per `via`): the request, the calls
 * it may make, and the outcome. Types only, plus the link mount every path sends.
 */

/** The instance calls a mount needs; InstanceClient provides them (an interface so tests can use fakes). */
export interface InstanceApi {
  remoteShares(): Promise<RemoteShare[]>;
  pendingRemoteShares(): Promise<RemoteShare[]>;
  acceptRemoteShare(id: string): Promise<void>;
  mountPublicLink(mount: PublicLinkMount): Promise<void>;
  pathExists(path: string): Promise<boolean>;
}

export interface MountDeps {
  instance: InstanceApi;
  /** Asks the sharer to push a federated share to `cloudId` (done same-origin from the share tab). */
  createFederatedShare(cloudId: string, password: string): Promise<void>;
  /** ownCloud 10: `external` with the request token of the user's logged-in session. */
  mountWithSession?(mount: PublicLinkMount): Promise<void>;
  /** ownCloud 10: open the instance's own confirmation page. */
  handOff?(url: string): Promise<void>;
  /** A companion the user set up as a bridge, for pairs that cannot federate directly. */
  bridge?: BridgeAccount;
  sleep?: (ms: number) => Promise<void>;
}

export interface MountRequest {
  share: ShareIdentity & { isProtected: boolean };
  password: string;
  cloudId: string;
  instanceBaseUrl: string;
  paths: MountPath[];
}

export type MountOutcome =
  | { result: 'mounted'; path: string }
  | { result: 'already-mounted'; path: string }
  | { result: 'handed-off' }
  /** What went wrong, as a code with parameters: the UI puts it into words (components/problem-text.ts). */
  | { result: 'failed'; problem: Problem };

/** What the bridge companion must do: mount a link for the bridge account and pass a mount on to a cloud id. */
export interface BridgeApi {
  remoteShares(): Promise<RemoteShare[]>;
  mountPublicLink(mount: PublicLinkMount): Promise<void>;
  shareWithCloudId(path: string, cloudId: string): Promise<void>;
}

export interface BridgeAccount {
  api: BridgeApi;
  /** The bridge's base URL and the bridge account's names: how the passed-on share shows up on the instance. */
  baseUrl: string;
  userId: string;
  displayName: string;
  cloudId: string;
}

/** The public link as the instance's (or the bridge's) `external` endpoint mounts it. */
export function linkMount({ share, password }: MountRequest): PublicLinkMount {
  return {
    remote: share.remote,
    token: share.token,
    owner: share.owner ?? '',
    ownerDisplayName: share.ownerDisplayName ?? share.owner ?? '',
    name: share.name ?? '',
    password,
  };
}

/** Waits between two looks at the instance (tests pass a fake clock). */
export type Sleep = (ms: number) => Promise<void>;
