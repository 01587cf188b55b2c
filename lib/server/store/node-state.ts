// What a node used to keep in memory between requests (browser sessions, failure counts of the throttles, federation
// rate-limit windows) lives in the database, so several nodes behind one load balancer can answer any request
// (issue 11). Both stores implement this; http/session.ts, http/throttle.ts and federation/rate-limit.ts use it.
// Times are milliseconds since the epoch (the callers' clocks), unlike the seconds of the other tables.

export interface StoredSession {
  /** SHA-256 of the cookie value: the database never holds a usable session id. */
  idHash: string;
  requestToken: string;
  uid: string | null;
  /** The account's credential stamp at login (logged-in sessions only). */
  stamp: string | null;
  lastSeen: number;
  /** Link shares whose password this browser has entered. */
  unlockedShares: number[];
  /** The account's current password hash (read with the session, one query); null: anonymous or account gone. */
  accountPasswordHash: string | null;
}

export interface FailureCount {
  count: number;
  last: number;
}

export interface RateWindow {
  start: number;
  count: number;
}

export interface PinnedPeerKey {
  keyId: string;
  publicKeyPem: string;
}

export interface NodeStateStore {
  addSession(
    session: Omit<StoredSession, 'unlockedShares' | 'accountPasswordHash'>,
    unlockedShares: number[],
  ): Promise<void>;
  getSession(idHash: string): Promise<StoredSession | undefined>;
  touchSession(idHash: string, lastSeen: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  deleteSessionsOf(uid: string): Promise<void>;
  unlockShareInSession(idHash: string, shareId: number): Promise<void>;
  forgetUnlockedShare(shareId: number): Promise<void>;
  /**
   * Makes room for one more session when `max` are stored: idle ones (last seen before `idleBefore`) go, then the
   * oldest anonymous ones, then — only `forLogin` — the least recently used logged-in ones. False if there is no room.
   */
  makeSessionRoom(max: number, idleBefore: number, forLogin: boolean): Promise<boolean>;
  countSessions(): Promise<number>;

  /** Failure counts of `keys` whose last failure is at or after `since`. */
  getFailures(keys: string[], since: number): Promise<Map<string, FailureCount>>;
  /** Counts one failure at `now`; a count whose last failure is before `since` starts over. */
  addFailure(key: string, now: number, since: number): Promise<FailureCount>;
  clearFailures(key: string): Promise<void>;

  /** Counts one call per key in its window (a window that started before `since` starts over at `now`). */
  hitRateWindows(keys: string[], now: number, since: number): Promise<Map<string, RateWindow>>;

  /** The signing key a peer advertised when last reachable (federation/keys.ts); undefined when none is pinned. */
  getPeerKey(identity: string): Promise<PinnedPeerKey | undefined>;
  /**
   * Pins what a reachable peer advertises now: its key, or none (the row goes). Beyond `max` pins, those of strangers
   * go, least recently seen first: never the one just pinned nor those of peers we share with (store/peer-relations.ts),
   * so servers that anyone can make us ask cannot fill the table nor push out the pins of quiet real peers.
   */
  savePeerKey(identity: string, key: PinnedPeerKey | undefined, seenAt: number, max: number): Promise<void>;

  /** Deletes sessions, failure counts and rate windows that can no longer matter, and failure counts beyond the cap. */
  sweepNodeState(sweep: NodeStateSweep): Promise<void>;
}

export interface NodeStateSweep {
  sessionsBefore: number;
  failuresBefore: number;
  windowsBefore: number;
  /**
   * Failure counts kept at most, the most recent ones. Anyone can add one (a wrong password for any name), and they
   * last the whole throttle window otherwise; between two sweeps the table grows by what arrives in between.
   */
  maxFailures: number;
}
