// The storage interface the routes depend on. Every method is asynchronous so that a server database (PostgreSQL)
// (store/postgres.ts) implements it too; SqliteStore runs better-sqlite3's synchronous calls and simply resolves.

import type { NodeStateStore } from './node-state';
import type { OutboxStore, QueuedNotification } from './outbox';

export interface User {
  uid: string;
  displayName: string;
  passwordHash: string;
}

export interface AppPassword {
  id: number;
  uid: string;
  name: string;
}

/** What the owner sees of an app password (never the secret). Times are Unix seconds. */
export interface AppPasswordInfo {
  id: number;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface LoginFlow {
  pollTokenHash: string;
  loginToken: string;
  clientName: string;
  createdAt: number;
  uid: string | null;
  /** Only set between "grant" and the one poll that hands it out. */
  appPassword: string | null;
}

/** A share we own: shareType 3 (public link) or 6 (federated user share; token = the OCM shared secret). */
export interface Share {
  id: number;
  shareType: 3 | 6;
  owner: string;
  path: string;
  itemType: 'file' | 'folder';
  permissions: number;
  token: string;
  passwordHash: string | null;
  expiration: string | null; // YYYY-MM-DD
  name: string | null;
  shareWith: string | null;
  accepted: boolean;
  stime: number;
  /**
   * Which item the share is bound to (see shares/items.ts): the file id plus creation time of a local file or folder,
   * or the id of a mounted remote share. The path follows the item through moves; when the item at `path` no longer
   * has this key, the share is dead. null only for rows from before binding existed (bound on first use).
   */
  itemKey: string | null;
  /** The link a federated share was created from (createFederatedShare): it lives, expires and is capped with it. */
  parentId: number | null;
}

/**
 * A share someone else owns that one of our users mounted (link) or received (OCM user share): what ownCloud calls an
 * external share (table oc_share_external). Listed by the OCS remote_shares API.
 */
export interface ExternalShare {
  id: number;
  uid: string;
  kind: 'link' | 'user';
  remote: string;
  remoteId: string;
  shareToken: string;
  password: string;
  name: string;
  owner: string;
  mountpoint: string;
  accepted: boolean;
  itemType: 'file' | 'folder';
  /** The webdav endpoint on the remote, absolute URL with trailing slash. */
  davUrl: string;
  createdAt: number;
}

export type NewShare = Omit<Share, 'id' | 'stime' | 'accepted' | 'itemKey' | 'parentId'> & {
  accepted?: boolean;
  itemKey?: string | null;
  parentId?: number | null;
};
export type NewExternalShare = Omit<ExternalShare, 'id' | 'createdAt'>;
export type ReceivedShareResult = 'stored' | 'known' | 'full';

export interface Store extends NodeStateStore, OutboxStore {
  addUser(user: User): Promise<void>;
  getUser(uid: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;

  addAppPassword(uid: string, name: string, secretHash: string): Promise<number>;
  findAppPassword(uid: string, secretHash: string): Promise<AppPassword | undefined>;
  deleteAppPassword(id: number): Promise<void>;
  listAppPasswords(uid: string): Promise<AppPasswordInfo[]>;
  /** Deletes one of uid's app passwords; false if uid has none with that id. */
  deleteAppPasswordOf(uid: string, id: number): Promise<boolean>;
  /** Password reset: every app password of uid and its pending Login Flow grants go. Returns how many were deleted. */
  deleteAllAppPasswordsOf(uid: string): Promise<number>;
  touchAppPassword(id: number, at: number): Promise<void>;

  /**
   * Stores a new flow and keeps at most `max` (anyone may start one): beyond that the oldest go, never this one.
   */
  addLoginFlow(flow: LoginFlow, max: number): Promise<void>;
  getLoginFlowByLoginToken(loginToken: string): Promise<LoginFlow | undefined>;
  /**
   * Grants a flow not granted yet; false when there is none (gone, or granted by another request first: a double
   * submit, another node). One conditional update, so of two concurrent grants exactly one wins.
   */
  grantLoginFlow(loginToken: string, uid: string, appPassword: string): Promise<boolean>;
  /**
   * Deletes the flow of this poll token if it was granted and returns it: the app password is handed out once. One
   * statement, so of two concurrent polls (maybe on two nodes) exactly one gets it.
   */
  takeGrantedLoginFlow(pollTokenHash: string): Promise<LoginFlow | undefined>;
  deleteLoginFlowsBefore(createdAt: number): Promise<void>;

  /**
   * With a parentId (a share made from that link): DerivedSharesFullError when the link has `maxDerived` such shares
   * already. Check and insert are one transaction, and shares made from one link are made one after the other.
   */
  addShare(share: NewShare, maxDerived?: number): Promise<Share>;
  getShare(id: number): Promise<Share | undefined>;
  getShareByToken(token: string): Promise<Share | undefined>;
  listShares(owner: string, path?: string): Promise<Share[]>;
  updateShare(
    id: number,
    patch: Partial<Pick<Share, 'permissions' | 'passwordHash' | 'expiration' | 'name' | 'accepted' | 'itemKey'>>,
  ): Promise<void>;
  deleteShare(id: number): Promise<void>;
  /** The owner's shares of `path` and of everything below it. */
  listSharesUnder(owner: string, path: string): Promise<Share[]>;
  /** Rewrites the paths of the owner's shares of `from` and below to `to` (a move or rename of `from`). */
  moveShares(owner: string, from: string, to: string): Promise<void>;
  /** Shares created from the link `parentId`. */
  listDerivedShares(parentId: number): Promise<Share[]>;

  addExternalShare(share: NewExternalShare): Promise<ExternalShare>;
  /**
   * Stores a user share another server sent us as pending. 'known': one with its uid, remote and remote id is stored
   * already (the sender retried: it got no answer the first time), also when the user is full. 'full': the user has
   * `maxPending` pending shares. Check and insert are one transaction, and deliveries to one recipient run one after
   * the other, so concurrent ones (maybe on several nodes) neither store a share twice nor pass the bound together.
   */
  addReceivedShare(share: Omit<NewExternalShare, 'kind'>, maxPending: number): Promise<ReceivedShareResult>;
  getExternalShare(uid: string, id: number): Promise<ExternalShare | undefined>;
  listExternalShares(uid: string, accepted?: boolean): Promise<ExternalShare[]>;
  /**
   * Counts a received share that was dropped because its recipient does not exist. It is a durable write like storing
   * a share, so both answers take about as long (no account enumeration through timing either).
   */
  countDroppedShare(): Promise<void>;
  findExternalShareBySecret(remoteId: string, shareToken: string): Promise<ExternalShare | undefined>;
  /**
   * Accepts a pending external share; false when it was not pending any more (another request, maybe on another node of
   * a cluster, accepted or dropped it first). One conditional update, so of two concurrent accepts exactly one wins.
   * `notify` (the owner's SHARE_ACCEPTED) is queued in the same transaction, and only when the share was accepted.
   */
  acceptExternalShare(
    id: number,
    mountpoint: string,
    itemType: 'file' | 'folder',
    notify?: QueuedNotification,
  ): Promise<boolean>;
  setExternalShareDavUrl(id: number, davUrl: string): Promise<void>;
  deleteExternalShare(id: number): Promise<void>;

  integrityCheck(): Promise<string>;
  close(): Promise<void>;
}
