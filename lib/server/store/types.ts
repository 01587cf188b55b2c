// The storage interface the routes depend on. SqliteStore implements it today; a server database can replace it later
// without touching the routes. All methods are synchronous because better-sqlite3 is, and a future async store would
// wrap them behind the same names.

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
}

/** A share someone else owns that one of our users mounted (link) or received (OCM user share). */
export interface RemoteShare {
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

export type NewShare = Omit<Share, 'id' | 'stime' | 'accepted'> & { accepted?: boolean };
export type NewRemoteShare = Omit<RemoteShare, 'id' | 'createdAt'>;

export interface Store {
  addUser(user: User): void;
  getUser(uid: string): User | undefined;
  listUsers(): User[];

  addAppPassword(uid: string, name: string, secretHash: string): number;
  findAppPassword(uid: string, secretHash: string): AppPassword | undefined;
  deleteAppPassword(id: number): void;
  listAppPasswords(uid: string): AppPasswordInfo[];
  /** Deletes one of uid's app passwords; false if uid has none with that id. */
  deleteAppPasswordOf(uid: string, id: number): boolean;
  /** Password reset: every app password of uid and its pending Login Flow grants go. Returns how many were deleted. */
  deleteAllAppPasswordsOf(uid: string): number;
  touchAppPassword(id: number, at: number): void;

  addLoginFlow(flow: LoginFlow): void;
  getLoginFlowByLoginToken(loginToken: string): LoginFlow | undefined;
  getLoginFlowByPollHash(pollTokenHash: string): LoginFlow | undefined;
  grantLoginFlow(loginToken: string, uid: string, appPassword: string): void;
  deleteLoginFlow(pollTokenHash: string): void;
  deleteLoginFlowsBefore(createdAt: number): void;

  addShare(share: NewShare): Share;
  getShare(id: number): Share | undefined;
  getShareByToken(token: string): Share | undefined;
  listShares(owner: string, path?: string): Share[];
  updateShare(id: number, patch: Partial<Pick<Share, 'permissions' | 'passwordHash' | 'expiration' | 'name' | 'accepted'>>): void;
  deleteShare(id: number): void;

  addRemoteShare(share: NewRemoteShare): RemoteShare;
  getRemoteShare(uid: string, id: number): RemoteShare | undefined;
  listRemoteShares(uid: string, accepted?: boolean): RemoteShare[];
  findRemoteShareBySecret(remoteId: string, shareToken: string): RemoteShare | undefined;
  acceptRemoteShare(id: number, mountpoint: string, itemType: 'file' | 'folder'): void;
  setRemoteShareDavUrl(id: number, davUrl: string): void;
  deleteRemoteShare(id: number): void;

  integrityCheck(): string;
  close(): void;
}
