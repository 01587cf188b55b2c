import Database from 'better-sqlite3';
import type {
  AppPassword,
  AppPasswordInfo,
  LoginFlow,
  NewExternalShare,
  NewShare,
  ExternalShare,
  ReceivedShareResult,
  Share,
  Store,
  User,
} from './types';
import type { FailureCount, NodeStateSweep, PinnedPeerKey, RateWindow, StoredSession } from './node-state';
import type { OutboxNotification, QueuedNotification } from './outbox';
import { COUNTER_TABLES, MIGRATIONS, migrationSql } from './migrations';
import { RELATED_PEER_ADDRESSES, relatedPeerIdentities, type RelatedPeerAddress } from './peer-relations';
import { SQLITE_BUSY_TIMEOUT_MS } from '../timeouts';
import {
  EXTERNAL_SHARE_COLUMNS,
  OUTBOX_COLUMNS,
  SHARE_COLUMNS,
  externalShareValues,
  shareValues,
  toExternalShare,
  toShare,
  type ExternalShareRow,
  type ShareRow,
} from './rows';
import { DerivedSharesFullError, MountpointTakenError } from './errors';

// The default store: one SQLite file in the data directory (better-sqlite3). The number of migration steps applied
// is kept in PRAGMA user_version.

const now = (): number => Math.floor(Date.now() / 1000);

const INSERT_SHARE = `INSERT INTO shares (${SHARE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
/**
 * Drops pins beyond `max` (store/node-state.ts, savePeerKey): never the one just saved (@kept) nor those of related
 * peers (@related, a JSON array); of the others (strangers), the most recently seen fill the room left, by identity
 * where seen at the same instant.
 */
const PRUNE_PEER_KEYS = `WITH related(identity) AS (SELECT value FROM json_each(@related)),
   strangers AS (SELECT identity, row_number() OVER (ORDER BY seen_at DESC, identity) AS newest FROM peer_keys
     WHERE identity <> @kept AND identity NOT IN (SELECT identity FROM related)),
   room AS (SELECT @max - 1 - count(*) AS left_over FROM peer_keys
     WHERE identity <> @kept AND identity IN (SELECT identity FROM related))
   DELETE FROM peer_keys WHERE identity IN (SELECT identity FROM strangers, room WHERE newest > room.left_over)`;

const INSERT_EXTERNAL_SHARE = `INSERT INTO remote_shares (${EXTERNAL_SHARE_COLUMNS})
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Runs a write of remote_shares; the unique index on mounted shares' mount points becomes MountpointTakenError. */
function mountpointGuarded<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    // Only that index: the one on received shares (uid, remote, remote_id) is another matter.
    const { code, message } = error as { code?: string; message?: string };
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' && message?.includes('remote_shares.mountpoint'))
      throw new MountpointTakenError();
    throw error;
  }
}

interface LoginFlowRow {
  poll_token_hash: string;
  login_token: string;
  client_name: string;
  created_at: number;
  uid: string | null;
  app_password: string | null;
}
const toLoginFlow = (row: LoginFlowRow | undefined): LoginFlow | undefined =>
  row && {
    pollTokenHash: row.poll_token_hash,
    loginToken: row.login_token,
    clientName: row.client_name,
    createdAt: row.created_at,
    uid: row.uid,
    appPassword: row.app_password,
  };

export class SqliteStore implements Store {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    // WAL + synchronous=FULL: every acknowledged commit is fsynced, so kill -9 / power loss never loses it.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    this.migrate();
    // Throttle failure counts and rate-limit windows: per process and in memory, like before issue 11 (one SQLite
    // node has no peers to share them with, and a durable write per failed login or federation call buys nothing).
    this.db.pragma('temp_store = MEMORY');
    this.db.exec(
      COUNTER_TABLES.replace(/CREATE TABLE /g, 'CREATE TEMP TABLE ').replace(/CREATE INDEX /g, 'CREATE INDEX temp.'),
    );
  }

  private readonly statements = new Map<string, Database.Statement>();
  /** Prepared once per SQL text: preparing costs more than running these one-row statements. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let i = version; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(migrationSql(MIGRATIONS[i] ?? '', 'sqlite'));
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }

  async addUser(user: User): Promise<void> {
    this.sql(
      `INSERT INTO users (uid, display_name, password_hash) VALUES (?, ?, ?)
      ON CONFLICT (uid) DO UPDATE SET display_name = excluded.display_name, password_hash = excluded.password_hash`,
    ).run(user.uid, user.displayName, user.passwordHash);
  }
  async getUser(uid: string): Promise<User | undefined> {
    const row = this.sql('SELECT uid, display_name, password_hash FROM users WHERE uid = ?').get(uid) as
      { uid: string; display_name: string; password_hash: string } | undefined;
    return row && { uid: row.uid, displayName: row.display_name, passwordHash: row.password_hash };
  }
  async listUsers(): Promise<User[]> {
    const rows = this.sql('SELECT uid, display_name, password_hash FROM users ORDER BY uid').all() as {
      uid: string;
      display_name: string;
      password_hash: string;
    }[];
    return rows.map((row) => ({ uid: row.uid, displayName: row.display_name, passwordHash: row.password_hash }));
  }

  async addAppPassword(uid: string, name: string, secretHash: string): Promise<number> {
    return Number(
      this.sql('INSERT INTO app_passwords (uid, name, secret_hash, created_at) VALUES (?, ?, ?, ?)').run(
        uid,
        name,
        secretHash,
        now(),
      ).lastInsertRowid,
    );
  }
  async findAppPassword(uid: string, secretHash: string): Promise<AppPassword | undefined> {
    return this.sql('SELECT id, uid, name FROM app_passwords WHERE uid = ? AND secret_hash = ?').get(
      uid,
      secretHash,
    ) as AppPassword | undefined;
  }
  async deleteAppPassword(id: number): Promise<void> {
    this.sql('DELETE FROM app_passwords WHERE id = ?').run(id);
  }
  async listAppPasswords(uid: string): Promise<AppPasswordInfo[]> {
    return this.sql(
      'SELECT id, name, created_at AS createdAt, last_used AS lastUsedAt FROM app_passwords WHERE uid = ? ORDER BY id',
    ).all(uid) as AppPasswordInfo[];
  }
  async deleteAppPasswordOf(uid: string, id: number): Promise<boolean> {
    return this.sql('DELETE FROM app_passwords WHERE uid = ? AND id = ?').run(uid, id).changes > 0;
  }
  async deleteAllAppPasswordsOf(uid: string): Promise<number> {
    return this.db.transaction(() => {
      this.sql('DELETE FROM login_flows WHERE uid = ?').run(uid);
      return this.sql('DELETE FROM app_passwords WHERE uid = ?').run(uid).changes;
    })();
  }
  async touchAppPassword(id: number, at: number): Promise<void> {
    this.sql('UPDATE app_passwords SET last_used = ? WHERE id = ?').run(at, id);
  }

  async addLoginFlow(flow: LoginFlow, max: number): Promise<void> {
    this.db.transaction(() => {
      this.sql(
        `INSERT INTO login_flows (poll_token_hash, login_token, client_name, created_at, uid, app_password)
        VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(flow.pollTokenHash, flow.loginToken, flow.clientName, flow.createdAt, flow.uid, flow.appPassword);
      // Keeps the new flow and the max - 1 youngest others (the poll token hash, random, breaks ties).
      this.sql(
        `DELETE FROM login_flows WHERE poll_token_hash <> @kept AND poll_token_hash NOT IN
        (SELECT poll_token_hash FROM login_flows WHERE poll_token_hash <> @kept
        ORDER BY created_at DESC, poll_token_hash LIMIT @others)`,
      ).run({ kept: flow.pollTokenHash, others: Math.max(0, max - 1) });
    })();
  }
  async getLoginFlowByLoginToken(loginToken: string): Promise<LoginFlow | undefined> {
    return toLoginFlow(
      this.sql('SELECT * FROM login_flows WHERE login_token = ?').get(loginToken) as LoginFlowRow | undefined,
    );
  }
  async grantLoginFlow(loginToken: string, uid: string, appPassword: string): Promise<boolean> {
    const grant = this.sql('UPDATE login_flows SET uid = ?, app_password = ? WHERE login_token = ? AND uid IS NULL');
    return grant.run(uid, appPassword, loginToken).changes > 0;
  }
  async takeGrantedLoginFlow(pollTokenHash: string): Promise<LoginFlow | undefined> {
    const row = this.sql(
      `DELETE FROM login_flows
      WHERE poll_token_hash = ? AND uid IS NOT NULL AND app_password IS NOT NULL RETURNING *`,
    ).get(pollTokenHash);
    return toLoginFlow(row as LoginFlowRow | undefined);
  }
  async deleteLoginFlowsBefore(createdAt: number): Promise<void> {
    this.sql('DELETE FROM login_flows WHERE created_at < ?').run(createdAt);
  }

  async addShare(share: NewShare, maxDerived = Infinity): Promise<Share> {
    const insert = this.db.transaction(() => {
      if (share.parentId != null) {
        const derived = this.sql('SELECT count(*) FROM shares WHERE parent_id = ?').pluck().get(share.parentId);
        if ((derived as number) >= maxDerived) throw new DerivedSharesFullError();
      }
      return this.sql(INSERT_SHARE).run(...shareValues(share, now())).lastInsertRowid;
    });
    const id = Number(insert());
    const created = await this.getShare(id);
    if (!created) throw new Error('share vanished after insert');
    return created;
  }
  async getShare(id: number): Promise<Share | undefined> {
    const row = this.sql('SELECT * FROM shares WHERE id = ?').get(id) as ShareRow | undefined;
    return row && toShare(row);
  }
  async getShareByToken(token: string): Promise<Share | undefined> {
    const row = this.sql('SELECT * FROM shares WHERE token = ?').get(token) as ShareRow | undefined;
    return row && toShare(row);
  }
  async listShares(owner: string, path?: string): Promise<Share[]> {
    const rows = (
      path === undefined
        ? this.sql('SELECT * FROM shares WHERE owner = ? ORDER BY id').all(owner)
        : this.sql('SELECT * FROM shares WHERE owner = ? AND path = ? ORDER BY id').all(owner, path)
    ) as ShareRow[];
    return rows.map(toShare);
  }
  async updateShare(
    id: number,
    patch: Partial<Pick<Share, 'permissions' | 'passwordHash' | 'expiration' | 'name' | 'accepted' | 'itemKey'>>,
  ): Promise<void> {
    const columns: Record<string, string> = {
      permissions: 'permissions',
      passwordHash: 'password_hash',
      expiration: 'expiration',
      name: 'name',
      accepted: 'accepted',
      itemKey: 'item_key',
    };
    const entries = Object.entries(patch).filter(([key]) => key in columns);
    if (entries.length === 0) return;
    const sql = `UPDATE shares SET ${entries.map(([key]) => `${columns[key]} = ?`).join(', ')} WHERE id = ?`;
    const values = entries.map(([, value]) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
    this.sql(sql).run(...values, id);
  }
  async deleteShare(id: number): Promise<void> {
    this.sql('DELETE FROM shares WHERE id = ?').run(id);
  }
  // "Under" compares a prefix with substr, not LIKE, so "%" and "_" in names match only themselves. Lengths are taken
  // by SQLite (characters), not JavaScript (UTF-16 units), so names outside the BMP work too.
  async listSharesUnder(owner: string, path: string): Promise<Share[]> {
    const rows = this.sql(
      `SELECT * FROM shares WHERE owner = @owner AND (path = @path OR substr(path, 1, length(@path) + 1) = @path || '/')
      ORDER BY id`,
    ).all({ owner, path }) as ShareRow[];
    return rows.map(toShare);
  }
  async moveShares(owner: string, from: string, to: string): Promise<void> {
    this.sql(
      `UPDATE shares SET path = @to || substr(path, length(@from) + 1)
      WHERE owner = @owner AND (path = @from OR substr(path, 1, length(@from) + 1) = @from || '/')`,
    ).run({ owner, from, to });
  }
  async listDerivedShares(parentId: number): Promise<Share[]> {
    return (this.sql('SELECT * FROM shares WHERE parent_id = ? ORDER BY id').all(parentId) as ShareRow[]).map(toShare);
  }

  async addExternalShare(share: NewExternalShare): Promise<ExternalShare> {
    const insert = this.sql(INSERT_EXTERNAL_SHARE);
    const id = Number(mountpointGuarded(() => insert.run(...externalShareValues(share, now()))).lastInsertRowid);
    const created = await this.getExternalShare(share.uid, id);
    if (!created) throw new Error('remote share vanished after insert');
    return created;
  }
  async addReceivedShare(share: Omit<NewExternalShare, 'kind'>, maxPending: number): Promise<ReceivedShareResult> {
    // One node has the file to itself and this transaction runs without a pause: nothing can come in between.
    const receive = this.db.transaction((): ReceivedShareResult => {
      const known = this.sql(
        "SELECT 1 FROM remote_shares WHERE kind = 'user' AND uid = ? AND remote = ? AND remote_id = ?",
      ).get(share.uid, share.remote, share.remoteId);
      if (known) return 'known';
      const pending = this.sql('SELECT count(*) FROM remote_shares WHERE uid = ? AND accepted = 0').pluck();
      if ((pending.get(share.uid) as number) >= maxPending) return 'full';
      this.sql(INSERT_EXTERNAL_SHARE).run(...externalShareValues({ ...share, kind: 'user' }, now()));
      return 'stored';
    });
    return mountpointGuarded(() => receive());
  }
  async getExternalShare(uid: string, id: number): Promise<ExternalShare | undefined> {
    const row = this.sql('SELECT * FROM remote_shares WHERE uid = ? AND id = ?').get(uid, id) as
      ExternalShareRow | undefined;
    return row && toExternalShare(row);
  }
  async listExternalShares(uid: string, accepted?: boolean): Promise<ExternalShare[]> {
    const rows = (
      accepted === undefined
        ? this.sql('SELECT * FROM remote_shares WHERE uid = ? ORDER BY id').all(uid)
        : this.sql('SELECT * FROM remote_shares WHERE uid = ? AND accepted = ? ORDER BY id').all(uid, accepted ? 1 : 0)
    ) as ExternalShareRow[];
    return rows.map(toExternalShare);
  }
  async countDroppedShare(): Promise<void> {
    this.sql('UPDATE federation_stats SET dropped_shares = dropped_shares + 1 WHERE id = 1').run();
  }
  async findExternalShareBySecret(remoteId: string, shareToken: string): Promise<ExternalShare | undefined> {
    const row = this.sql("SELECT * FROM remote_shares WHERE kind = 'user' AND remote_id = ? AND share_token = ?").get(
      remoteId,
      shareToken,
    ) as ExternalShareRow | undefined;
    return row && toExternalShare(row);
  }
  async acceptExternalShare(
    id: number,
    mountpoint: string,
    itemType: 'file' | 'folder',
    notify?: QueuedNotification,
  ): Promise<boolean> {
    return mountpointGuarded(() =>
      this.db.transaction(() => {
        const accepted =
          this.sql(
            'UPDATE remote_shares SET accepted = 1, mountpoint = ?, item_type = ? WHERE id = ? AND accepted = 0',
          ).run(mountpoint, itemType, id).changes > 0;
        if (accepted && notify) this.enqueue(notify);
        return accepted;
      })(),
    );
  }
  async setExternalShareDavUrl(id: number, davUrl: string): Promise<void> {
    this.sql('UPDATE remote_shares SET dav_url = ? WHERE id = ?').run(davUrl, id);
  }
  async deleteExternalShare(id: number): Promise<void> {
    this.sql('DELETE FROM remote_shares WHERE id = ?').run(id);
  }

  // Node state (store/node-state.ts). Async like the interface; better-sqlite3 itself answers at once.
  async addSession(
    session: Omit<StoredSession, 'unlockedShares' | 'accountPasswordHash'>,
    unlockedShares: number[],
  ): Promise<void> {
    this.db.transaction(() => {
      this.sql(
        'INSERT INTO sessions (id_hash, request_token, uid, stamp, logged_in, last_seen) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(
        session.idHash,
        session.requestToken,
        session.uid,
        session.stamp,
        session.uid === null ? 0 : 1,
        session.lastSeen,
      );
      for (const shareId of unlockedShares) {
        this.sql('INSERT OR IGNORE INTO session_shares (id_hash, share_id) VALUES (?, ?)').run(session.idHash, shareId);
      }
    })();
  }
  async getSession(idHash: string): Promise<StoredSession | undefined> {
    const row = this.sql(
      `SELECT s.id_hash, s.request_token, s.uid, s.stamp, s.last_seen, u.password_hash FROM sessions s
      LEFT JOIN users u ON u.uid = s.uid WHERE s.id_hash = ?`,
    ).get(idHash) as
      | {
          id_hash: string;
          request_token: string;
          uid: string | null;
          stamp: string | null;
          last_seen: number;
          password_hash: string | null;
        }
      | undefined;
    if (!row) return undefined;
    const shares = this.sql('SELECT share_id FROM session_shares WHERE id_hash = ? ORDER BY share_id')
      .pluck()
      .all(idHash) as number[];
    return {
      idHash: row.id_hash,
      requestToken: row.request_token,
      uid: row.uid,
      stamp: row.stamp,
      lastSeen: row.last_seen,
      unlockedShares: shares,
      accountPasswordHash: row.password_hash,
    };
  }
  async touchSession(idHash: string, lastSeen: number): Promise<void> {
    this.sql('UPDATE sessions SET last_seen = ? WHERE id_hash = ?').run(lastSeen, idHash);
  }
  async deleteSession(idHash: string): Promise<void> {
    this.sql('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }
  async deleteSessionsOf(uid: string): Promise<void> {
    this.sql('DELETE FROM sessions WHERE uid = ?').run(uid);
  }
  async unlockShareInSession(idHash: string, shareId: number): Promise<void> {
    this.sql(
      'INSERT OR IGNORE INTO session_shares (id_hash, share_id) SELECT id_hash, ? FROM sessions WHERE id_hash = ?',
    ).run(shareId, idHash);
  }
  async forgetUnlockedShare(shareId: number): Promise<void> {
    this.sql('DELETE FROM session_shares WHERE share_id = ?').run(shareId);
  }
  async getPeerKey(identity: string): Promise<PinnedPeerKey | undefined> {
    const row = this.sql('SELECT key_id, public_key_pem FROM peer_keys WHERE identity = ?').get(identity) as
      { key_id: string; public_key_pem: string } | undefined;
    return row && { keyId: row.key_id, publicKeyPem: row.public_key_pem };
  }
  async savePeerKey(identity: string, key: PinnedPeerKey | undefined, seenAt: number, max: number): Promise<void> {
    if (!key) {
      this.sql('DELETE FROM peer_keys WHERE identity = ?').run(identity);
      return;
    }
    this.sql(
      `INSERT INTO peer_keys (identity, key_id, public_key_pem, seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (identity) DO UPDATE SET key_id = excluded.key_id, public_key_pem = excluded.public_key_pem,
       seen_at = excluded.seen_at`,
    ).run(identity, key.keyId, key.publicKeyPem, seenAt);
    if ((this.sql('SELECT count(*) FROM peer_keys').pluck().get() as number) <= max) return;
    // Synchronous from here on: no other write of this node's database comes between reading who is related and the
    // prune (and a SQLite database has only this node).
    const related = relatedPeerIdentities(this.sql(RELATED_PEER_ADDRESSES).all() as RelatedPeerAddress[]);
    this.sql(PRUNE_PEER_KEYS).run({ kept: identity, related: JSON.stringify(related), max });
  }
  async countSessions(): Promise<number> {
    return this.sql('SELECT count(*) FROM sessions').pluck().get() as number;
  }
  async makeSessionRoom(max: number, idleBefore: number, forLogin: boolean): Promise<boolean> {
    const count = () => this.sql('SELECT count(*) FROM sessions').pluck().get() as number;
    if (count() < max) return true;
    const dropOldest = (loggedIn: number, n: number) =>
      this.sql(
        `DELETE FROM sessions WHERE id_hash IN
      (SELECT id_hash FROM sessions WHERE logged_in = ? ORDER BY last_seen LIMIT ?)`,
      ).run(loggedIn, n).changes;
    // The same rule as PostgresStore.makeSessionRoom.
    return this.db.transaction(() => {
      this.sql('DELETE FROM sessions WHERE last_seen < ?').run(idleBefore);
      const excess = count() - max + 1;
      if (excess <= 0) return true;
      const anonymous = dropOldest(0, excess);
      if (anonymous >= excess || (anonymous > 0 && !forLogin)) return true;
      return forLogin ? dropOldest(1, excess - anonymous) > 0 || anonymous > 0 : false;
    })();
  }

  async getFailures(keys: string[], since: number): Promise<Map<string, FailureCount>> {
    const found = new Map<string, FailureCount>();
    for (const key of keys) {
      const row = this.sql('SELECT count, last FROM throttle_failures WHERE key = ? AND last >= ?').get(key, since) as
        FailureCount | undefined;
      if (row) found.set(key, row);
    }
    return found;
  }
  async addFailure(key: string, at: number, since: number): Promise<FailureCount> {
    return this.sql(
      `INSERT INTO throttle_failures (key, count, last) VALUES (@key, 1, @at)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN throttle_failures.last < @since THEN 1 ELSE throttle_failures.count + 1 END,
        last = excluded.last
      RETURNING count, last`,
    ).get({ key, at, since }) as FailureCount;
  }
  async clearFailures(key: string): Promise<void> {
    this.sql('DELETE FROM throttle_failures WHERE key = ?').run(key);
  }

  async hitRateWindows(keys: string[], at: number, since: number): Promise<Map<string, RateWindow>> {
    const hit = this.sql(`INSERT INTO rate_windows (key, start, count) VALUES (@key, @at, 1)
      ON CONFLICT (key) DO UPDATE SET
        start = CASE WHEN rate_windows.start < @since THEN excluded.start ELSE rate_windows.start END,
        count = CASE WHEN rate_windows.start < @since THEN 1 ELSE rate_windows.count + 1 END
      RETURNING start, count`);
    return this.db.transaction(
      () => new Map([...new Set(keys)].map((key) => [key, hit.get({ key, at, since }) as RateWindow])),
    )();
  }

  async sweepNodeState(sweep: NodeStateSweep): Promise<void> {
    this.sql('DELETE FROM sessions WHERE last_seen < ?').run(sweep.sessionsBefore);
    this.sql('DELETE FROM throttle_failures WHERE last < ?').run(sweep.failuresBefore);
    // The oldest beyond the cap; one statement, so a count and the rows it deletes agree.
    this.sql(
      `DELETE FROM throttle_failures WHERE key IN (SELECT key FROM throttle_failures ORDER BY last, key
      LIMIT max(0, (SELECT count(*) FROM throttle_failures) - ?))`,
    ).run(sweep.maxFailures);
    this.sql('DELETE FROM rate_windows WHERE start < ?').run(sweep.windowsBefore);
  }

  // The outbox of OCM notifications (store/outbox.ts). One node has the file to itself: no claim can race another.
  private enqueue({ notification: n, limits }: QueuedNotification): boolean {
    return (
      this.sql(
        `INSERT INTO ocm_outbox (id, remote, type, provider_id, shared_secret, message, attempts, next_attempt_at,
        created_at)
      SELECT @id, @remote, @type, @providerId, @sharedSecret, @message, 0, @nextAttemptAt, @createdAt
      WHERE (SELECT count(*) FROM ocm_outbox WHERE remote = @remote) < @perRemote
        AND (SELECT count(*) FROM ocm_outbox) < @total`,
      ).run({ ...n, perRemote: limits.perRemote, total: limits.total }).changes > 0
    );
  }
  async enqueueNotification(queued: QueuedNotification): Promise<boolean> {
    return this.enqueue(queued);
  }
  async claimDueNotifications(at: number, leaseUntil: number, limit: number): Promise<OutboxNotification[]> {
    return this.sql(
      `UPDATE ocm_outbox SET next_attempt_at = ? WHERE id IN
      (SELECT id FROM ocm_outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?)
      RETURNING ${OUTBOX_COLUMNS}`,
    ).all(leaseUntil, at, limit) as OutboxNotification[];
  }
  async deleteNotification(id: string): Promise<void> {
    this.sql('DELETE FROM ocm_outbox WHERE id = ?').run(id);
  }
  async rescheduleNotification(id: string, nextAttemptAt: number): Promise<void> {
    this.sql('UPDATE ocm_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?').run(nextAttemptAt, id);
  }
  async dropStaleNotifications(maxAttempts: number, createdBefore: number): Promise<OutboxNotification[]> {
    return this.sql(`DELETE FROM ocm_outbox WHERE attempts >= ? OR created_at < ? RETURNING ${OUTBOX_COLUMNS}`).all(
      maxAttempts,
      createdBefore,
    ) as OutboxNotification[];
  }

  async integrityCheck(): Promise<string> {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }
  async close(): Promise<void> {
    this.db.close();
  }
}
