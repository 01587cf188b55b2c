import { createHash } from 'node:crypto';
import pg from 'pg';
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
import { MIGRATIONS, migrationSql } from './migrations';
import { RELATED_PEER_ADDRESSES, relatedPeerIdentities, type RelatedPeerAddress } from './peer-relations';
import {
  DerivedSharesFullError,
  MountpointTakenError,
  StoreUnavailableError,
  SynchronousCommitOffError,
} from './errors';
import { PG_CONNECT_TIMEOUT_MS, PG_IDLE_CONNECTION_MS, PG_QUERY_TIMEOUT_MS } from '../timeouts';
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

// The PostgreSQL store (`serve --database postgres://…`): several nodes share it, so any of them can answer any
// request.
//
// Durability: synchronous_commit is forced on for our connections, so an acknowledged write is on the database's disk
// (WAL fsynced) before we answer, as with SQLite's synchronous=FULL. Something can still undo that (an `options`
// parameter in the URL replaces ours; a connection pooler may drop it), so open() asks the database and refuses a
// connection that would acknowledge commits before they are on disk.
// Outages: the pool drops connections that broke and opens new ones on the next query, so the store recovers by itself
// once PostgreSQL is back. Meanwhile connection failures become StoreUnavailableError (503 for the client).

/** Key of the advisory lock that serializes migrations of nodes starting at the same time. */
export const MIGRATION_LOCK = 0x41544301; // "ATC\x01"
/** Key of the advisory lock that serializes trimming a full session table. */
const SESSION_TRIM_LOCK = 0x41544302;
/** Key of the advisory lock that serializes pruning a full peer_keys table. */
const PEER_KEY_PRUNE_LOCK = 0x41544303;

/** The same prune as SQLite's PRUNE_PEER_KEYS ($1 the pin just saved, $2 the related identities, $3 the cap). */
const PRUNE_PEER_KEYS = `WITH strangers AS (SELECT identity, row_number() OVER (ORDER BY seen_at DESC, identity) AS newest
     FROM peer_keys WHERE identity <> $1 AND NOT (identity = ANY($2::text[]))),
   room AS (SELECT $3::bigint - 1 - count(*) AS left_over FROM peer_keys
     WHERE identity <> $1 AND identity = ANY($2::text[]))
   DELETE FROM peer_keys WHERE identity IN (SELECT identity FROM strangers, room WHERE newest > room.left_over)`;

// int8 (BIGINT, count(*)) and arrays of it arrive as strings by default; our ids, counts and times are far below 2^53.
const INT8_OID = 20;
const INT8_ARRAY_OID: number = 1016;
const parseInt8Array = (value: string): number[] =>
  (pg.types.getTypeParser(INT8_ARRAY_OID, 'text')(value) as string[]).map(Number);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return (value: string) => Number(value);
    if (oid === INT8_ARRAY_OID) return parseInt8Array;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** What node-postgres says when it lost or could not get a connection (its errors have no code then). */
const CONNECTION_ERROR_MESSAGES = new RegExp(
  [
    'Connection terminated',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error',
    'Query read timeout',
  ].join('|'),
  'i',
);

/** Network errors, "connection exception" (08…) and "operator intervention" (57P…: shutdown, starting up). */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (
    typeof code === 'string' &&
    (/^(08|57P)/.test(code) || /^E(CONNREFUSED|CONNRESET|PIPE|NOENT|TIMEDOUT|HOSTUNREACH)$/.test(code))
  )
    return true;
  const message = error instanceof Error ? error.message : '';
  return CONNECTION_ERROR_MESSAGES.test(message);
}

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Ids come from URLs. SQLite simply finds no row for 1e20 or 1.5; PostgreSQL would refuse them as BIGINT (an error,
 * a 500), so such ids are "no such row" before they reach it.
 */
const isId = (id: number): boolean => Number.isSafeInteger(id);

const now = (): number => Math.floor(Date.now() / 1000);

const INSERT_SHARE = `INSERT INTO shares (${SHARE_COLUMNS})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`;
const INSERT_EXTERNAL_SHARE = `INSERT INTO remote_shares (${EXTERNAL_SHARE_COLUMNS})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`;

/** A login_flows row as a LoginFlow. */
const FLOW_COLUMNS = `poll_token_hash AS "pollTokenHash", login_token AS "loginToken", client_name AS "clientName",
  created_at AS "createdAt", uid, app_password AS "appPassword"`;

const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `atc_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Brings the schema up to date (MIGRATIONS), one node at a time. On a connection of its own, without the pool's query
 * timeout: a step may rewrite a big table, and a node that starts meanwhile waits for the lock as long as that takes.
 */
async function migrate(connectionString: string): Promise<void> {
  const client = new pg.Client({
    connectionString,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    options: '-c synchronous_commit=on',
  });
  // A connection that breaks fails the query running on it; the event must not end the process.
  client.on('error', () => {});
  await client.connect();
  try {
    // Session-level lock (ending the connection releases it too): a second node waits here, then finds the schema
    // current.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const current = await client.query<{ version: number }>('SELECT version FROM schema_version');
    let version = current.rows[0]?.version ?? 0;
    if (current.rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES (0)');
    for (; version < MIGRATIONS.length; version++) {
      const step = MIGRATIONS[version];
      if (step === undefined) break;
      await client.query('BEGIN');
      try {
        await client.query(migrationSql(step, 'postgres'));
        await client.query('UPDATE schema_version SET version = $1', [version + 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {}); // the step's error is the one to report
        throw error;
      }
    }
  } finally {
    await client.end();
  }
}

export class PostgresStore implements Store {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects and brings the schema up to date (safe when several nodes start at once). */
  static async open(
    connectionString: string,
    options: { max?: number; queryTimeoutMs?: number } = {},
  ): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: PG_IDLE_CONNECTION_MS,
      query_timeout: options.queryTimeoutMs ?? PG_QUERY_TIMEOUT_MS,
      keepAlive: true,
      types,
      options: '-c synchronous_commit=on',
    });
    // An idle connection that breaks (PostgreSQL restarted) is dropped by the pool; without a listener the error
    // event would end the process.
    pool.on('error', () => {});
    const store = new PostgresStore(pool);
    try {
      const synchronousCommit = await store.synchronousCommit();
      if (synchronousCommit === 'off') throw new SynchronousCommitOffError();
      await migrate(connectionString);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  private async query<Row>(
    text: string,
    values: unknown[] = [],
    on: Queryable = this.pool,
  ): Promise<pg.QueryResult<Row & pg.QueryResultRow>> {
    try {
      // Named: each connection parses and plans a statement once, not on every call (as SqliteStore prepares once).
      return await on.query<Row & pg.QueryResultRow>({ name: statementName(text), text, values });
    } catch (error) {
      if (isConnectionError(error)) throw new StoreUnavailableError(error);
      if ((error as { constraint?: string }).constraint === 'remote_shares_mountpoint')
        throw new MountpointTakenError();
      throw error;
    }
  }

  private async rows<Row>(text: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.query<Row>(text, values)).rows;
  }

  private async row<Row>(text: string, values: unknown[] = []): Promise<Row | undefined> {
    return (await this.query<Row>(text, values)).rows[0];
  }

  /** Runs `work` in one transaction on one connection. */
  private async transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw isConnectionError(error) ? new StoreUnavailableError(error) : error;
    }
    let broken: unknown;
    try {
      await this.query('BEGIN', [], client);
      const result = await work(client);
      await this.query('COMMIT', [], client);
      return result;
    } catch (error) {
      broken = error;
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      // A connection that failed mid-transaction is not given back for reuse.
      client.release(broken instanceof StoreUnavailableError ? true : undefined);
    }
  }

  /**
   * synchronous_commit as our connections have it. Every value but "off" waits for the local WAL flush before a commit
   * returns ("on", "local", "remote_write", "remote_apply").
   */
  async synchronousCommit(): Promise<string> {
    return (await this.row<{ synchronous_commit: string }>('SHOW synchronous_commit'))?.synchronous_commit ?? '';
  }

  /** The schema version (steps of MIGRATIONS applied); for tests and `doctor`. */
  async schemaVersion(): Promise<number> {
    return (await this.row<{ version: number }>('SELECT version FROM schema_version'))?.version ?? 0;
  }

  async addUser(user: User): Promise<void> {
    await this.query(
      `INSERT INTO users (uid, display_name, password_hash) VALUES ($1, $2, $3)
      ON CONFLICT (uid) DO UPDATE SET display_name = excluded.display_name, password_hash = excluded.password_hash`,
      [user.uid, user.displayName, user.passwordHash],
    );
  }
  async getUser(uid: string): Promise<User | undefined> {
    return this.row<User>(
      'SELECT uid, display_name AS "displayName", password_hash AS "passwordHash" FROM users WHERE uid = $1',
      [uid],
    );
  }
  async listUsers(): Promise<User[]> {
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    return this.rows<User>(
      `SELECT uid, display_name AS "displayName", password_hash AS "passwordHash" FROM users
      ORDER BY uid COLLATE "C"`,
    );
  }

  async addAppPassword(uid: string, name: string, secretHash: string): Promise<number> {
    const row = await this.row<{ id: number }>(
      'INSERT INTO app_passwords (uid, name, secret_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
      [uid, name, secretHash, now()],
    );
    return row?.id ?? 0;
  }
  async findAppPassword(uid: string, secretHash: string): Promise<AppPassword | undefined> {
    return this.row<AppPassword>('SELECT id, uid, name FROM app_passwords WHERE uid = $1 AND secret_hash = $2', [
      uid,
      secretHash,
    ]);
  }
  async deleteAppPassword(id: number): Promise<void> {
    if (!isId(id)) return;
    await this.query('DELETE FROM app_passwords WHERE id = $1', [id]);
  }
  async listAppPasswords(uid: string): Promise<AppPasswordInfo[]> {
    return this.rows<AppPasswordInfo>(
      `SELECT id, name, created_at AS "createdAt", last_used AS "lastUsedAt" FROM app_passwords
      WHERE uid = $1 ORDER BY id`,
      [uid],
    );
  }
  async deleteAppPasswordOf(uid: string, id: number): Promise<boolean> {
    if (!isId(id)) return false;
    return ((await this.query('DELETE FROM app_passwords WHERE uid = $1 AND id = $2', [uid, id])).rowCount ?? 0) > 0;
  }
  async deleteAllAppPasswordsOf(uid: string): Promise<number> {
    return this.transaction(async (client) => {
      await this.query('DELETE FROM login_flows WHERE uid = $1', [uid], client);
      return (await this.query('DELETE FROM app_passwords WHERE uid = $1', [uid], client)).rowCount ?? 0;
    });
  }
  async touchAppPassword(id: number, at: number): Promise<void> {
    if (!isId(id)) return;
    await this.query('UPDATE app_passwords SET last_used = $1 WHERE id = $2', [at, id]);
  }

  async addLoginFlow(flow: LoginFlow, max: number): Promise<void> {
    await this.transaction(async (client) => {
      await this.query(
        `INSERT INTO login_flows (poll_token_hash, login_token, client_name, created_at, uid, app_password)
        VALUES ($1, $2, $3, $4, $5, $6)`,
        [flow.pollTokenHash, flow.loginToken, flow.clientName, flow.createdAt, flow.uid, flow.appPassword],
        client,
      );
      // Keeps the new flow and the max - 1 youngest others (the poll token hash, random, breaks ties). Nodes starting
      // flows at the same instant may each keep theirs: a few rows over, until the next flow.
      await this.query(
        `DELETE FROM login_flows WHERE poll_token_hash <> $1 AND poll_token_hash NOT IN
        (SELECT poll_token_hash FROM login_flows WHERE poll_token_hash <> $1
        ORDER BY created_at DESC, poll_token_hash LIMIT $2)`,
        [flow.pollTokenHash, Math.max(0, max - 1)],
        client,
      );
    });
  }
  async getLoginFlowByLoginToken(loginToken: string): Promise<LoginFlow | undefined> {
    return this.row<LoginFlow>(`SELECT ${FLOW_COLUMNS} FROM login_flows WHERE login_token = $1`, [loginToken]);
  }
  async grantLoginFlow(loginToken: string, uid: string, appPassword: string): Promise<boolean> {
    const granted = await this.query(
      'UPDATE login_flows SET uid = $1, app_password = $2 WHERE login_token = $3 AND uid IS NULL',
      [uid, appPassword, loginToken],
    );
    return (granted.rowCount ?? 0) > 0;
  }
  async takeGrantedLoginFlow(pollTokenHash: string): Promise<LoginFlow | undefined> {
    return this.row<LoginFlow>(
      `DELETE FROM login_flows
      WHERE poll_token_hash = $1 AND uid IS NOT NULL AND app_password IS NOT NULL RETURNING ${FLOW_COLUMNS}`,
      [pollTokenHash],
    );
  }
  async deleteLoginFlowsBefore(createdAt: number): Promise<void> {
    await this.query('DELETE FROM login_flows WHERE created_at < $1', [createdAt]);
  }

  async addShare(share: NewShare, maxDerived = Infinity): Promise<Share> {
    const insert = async (on: Queryable) => {
      const inserted = await this.query<ShareRow>(INSERT_SHARE, shareValues(share, now()), on);
      if (!inserted.rows[0]) throw new Error('share vanished after insert');
      return toShare(inserted.rows[0]);
    };
    const parentId = share.parentId;
    if (parentId == null || maxDerived === Infinity) return insert(this.pool);
    return this.transaction(async (client) => {
      // The link's row, held to the end: shares made from one link, on any node, are made one after the other, so
      // the count sees every one made before.
      await this.query('SELECT 1 FROM shares WHERE id = $1 FOR NO KEY UPDATE', [parentId], client);
      const derived = await this.query<{ n: number }>(
        'SELECT count(*) AS n FROM shares WHERE parent_id = $1',
        [parentId],
        client,
      );
      if ((derived.rows[0]?.n ?? 0) >= maxDerived) throw new DerivedSharesFullError();
      return insert(client);
    });
  }
  async getShare(id: number): Promise<Share | undefined> {
    if (!isId(id)) return undefined;
    const row = await this.row<ShareRow>('SELECT * FROM shares WHERE id = $1', [id]);
    return row && toShare(row);
  }
  async getShareByToken(token: string): Promise<Share | undefined> {
    const row = await this.row<ShareRow>('SELECT * FROM shares WHERE token = $1', [token]);
    return row && toShare(row);
  }
  async listShares(owner: string, path?: string): Promise<Share[]> {
    const rows =
      path === undefined
        ? await this.rows<ShareRow>('SELECT * FROM shares WHERE owner = $1 ORDER BY id', [owner])
        : await this.rows<ShareRow>('SELECT * FROM shares WHERE owner = $1 AND path = $2 ORDER BY id', [owner, path]);
    return rows.map(toShare);
  }
  async updateShare(
    id: number,
    patch: Partial<Pick<Share, 'permissions' | 'passwordHash' | 'expiration' | 'name' | 'accepted' | 'itemKey'>>,
  ): Promise<void> {
    if (!isId(id)) return;
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
    const sets = entries.map(([key], i) => `${columns[key]} = $${i + 1}`).join(', ');
    const values = entries.map(([, value]) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
    await this.query(`UPDATE shares SET ${sets} WHERE id = $${entries.length + 1}`, [...values, id]);
  }
  async deleteShare(id: number): Promise<void> {
    if (!isId(id)) return;
    await this.query('DELETE FROM shares WHERE id = $1', [id]);
  }
  // As in SQLite: a prefix compared with substr (characters), not LIKE, so "%" and "_" in names match only themselves.
  async listSharesUnder(owner: string, path: string): Promise<Share[]> {
    const rows = await this.rows<ShareRow>(
      `SELECT * FROM shares WHERE owner = $1
      AND (path = $2 OR substr(path, 1, length($2) + 1) = $2 || '/') ORDER BY id`,
      [owner, path],
    );
    return rows.map(toShare);
  }
  async moveShares(owner: string, from: string, to: string): Promise<void> {
    await this.query(
      `UPDATE shares SET path = $3 || substr(path, length($2) + 1)
      WHERE owner = $1 AND (path = $2 OR substr(path, 1, length($2) + 1) = $2 || '/')`,
      [owner, from, to],
    );
  }
  async listDerivedShares(parentId: number): Promise<Share[]> {
    if (!isId(parentId)) return [];
    return (await this.rows<ShareRow>('SELECT * FROM shares WHERE parent_id = $1 ORDER BY id', [parentId])).map(
      toShare,
    );
  }

  async addExternalShare(share: NewExternalShare): Promise<ExternalShare> {
    const row = await this.row<ExternalShareRow>(
      `${INSERT_EXTERNAL_SHARE} RETURNING *`,
      externalShareValues(share, now()),
    );
    if (!row) throw new Error('remote share vanished after insert');
    return toExternalShare(row);
  }
  async addReceivedShare(share: Omit<NewExternalShare, 'kind'>, maxPending: number): Promise<ReceivedShareResult> {
    return this.transaction(async (client): Promise<ReceivedShareResult> => {
      // The recipient's row, held to the end: deliveries to one user, on any node, run one after the other, so the
      // count below sees every share stored before. (NO KEY: app passwords referencing the user are not held up.)
      await this.query('SELECT 1 FROM users WHERE uid = $1 FOR NO KEY UPDATE', [share.uid], client);
      const known = await this.query(
        "SELECT 1 FROM remote_shares WHERE kind = 'user' AND uid = $1 AND remote = $2 AND remote_id = $3",
        [share.uid, share.remote, share.remoteId],
        client,
      );
      if ((known.rowCount ?? 0) > 0) return 'known';
      const pending = await this.query<{ n: number }>(
        'SELECT count(*) AS n FROM remote_shares WHERE uid = $1 AND accepted = 0',
        [share.uid],
        client,
      );
      if ((pending.rows[0]?.n ?? 0) >= maxPending) return 'full';
      // ON CONFLICT: a recipient without a row (no lock above) can still not get a share twice.
      const inserted = await this.query(
        `${INSERT_EXTERNAL_SHARE} ON CONFLICT (uid, remote, remote_id) WHERE kind = 'user' DO NOTHING`,
        externalShareValues({ ...share, kind: 'user' }, now()),
        client,
      );
      return (inserted.rowCount ?? 0) > 0 ? 'stored' : 'known';
    });
  }
  async getExternalShare(uid: string, id: number): Promise<ExternalShare | undefined> {
    if (!isId(id)) return undefined;
    const row = await this.row<ExternalShareRow>('SELECT * FROM remote_shares WHERE uid = $1 AND id = $2', [uid, id]);
    return row && toExternalShare(row);
  }
  async listExternalShares(uid: string, accepted?: boolean): Promise<ExternalShare[]> {
    const rows =
      accepted === undefined
        ? await this.rows<ExternalShareRow>('SELECT * FROM remote_shares WHERE uid = $1 ORDER BY id', [uid])
        : await this.rows<ExternalShareRow>(
            'SELECT * FROM remote_shares WHERE uid = $1 AND accepted = $2 ORDER BY id',
            [uid, accepted ? 1 : 0],
          );
    return rows.map(toExternalShare);
  }
  async countDroppedShare(): Promise<void> {
    await this.query('UPDATE federation_stats SET dropped_shares = dropped_shares + 1 WHERE id = 1');
  }
  async findExternalShareBySecret(remoteId: string, shareToken: string): Promise<ExternalShare | undefined> {
    const row = await this.row<ExternalShareRow>(
      "SELECT * FROM remote_shares WHERE kind = 'user' AND remote_id = $1 AND share_token = $2",
      [remoteId, shareToken],
    );
    return row && toExternalShare(row);
  }
  async acceptExternalShare(
    id: number,
    mountpoint: string,
    itemType: 'file' | 'folder',
    notify?: QueuedNotification,
  ): Promise<boolean> {
    if (!isId(id)) return false;
    const accept = async (on: Queryable) =>
      ((
        await this.query(
          'UPDATE remote_shares SET accepted = 1, mountpoint = $1, item_type = $2 WHERE id = $3 AND accepted = 0',
          [mountpoint, itemType, id],
          on,
        )
      ).rowCount ?? 0) > 0;
    if (!notify) return accept(this.pool);
    return this.transaction(async (client) => {
      const accepted = await accept(client);
      if (accepted) await this.enqueue(notify, client);
      return accepted;
    });
  }
  async setExternalShareDavUrl(id: number, davUrl: string): Promise<void> {
    if (!isId(id)) return;
    await this.query('UPDATE remote_shares SET dav_url = $1 WHERE id = $2', [davUrl, id]);
  }
  async deleteExternalShare(id: number): Promise<void> {
    if (!isId(id)) return;
    await this.query('DELETE FROM remote_shares WHERE id = $1', [id]);
  }

  // Node state (store/node-state.ts).
  async addSession(
    session: Omit<StoredSession, 'unlockedShares' | 'accountPasswordHash'>,
    unlockedShares: number[],
  ): Promise<void> {
    const insert = `INSERT INTO sessions (id_hash, request_token, uid, stamp, logged_in, last_seen)
      VALUES ($1, $2, $3, $4, $5, $6)`;
    const values = [
      session.idHash,
      session.requestToken,
      session.uid,
      session.stamp,
      session.uid === null ? 0 : 1,
      session.lastSeen,
    ];
    if (unlockedShares.length === 0) {
      await this.query(insert, values);
      return;
    }
    await this.transaction(async (client) => {
      await this.query(insert, values, client);
      await this.query(
        `INSERT INTO session_shares (id_hash, share_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
        [session.idHash, unlockedShares],
        client,
      );
    });
  }
  async getSession(idHash: string): Promise<StoredSession | undefined> {
    // One round trip: the session, the links it unlocked and its account's password hash (for the stamp check).
    return this.row<StoredSession>(
      `SELECT s.id_hash AS "idHash", s.request_token AS "requestToken", s.uid, s.stamp,
      s.last_seen AS "lastSeen", u.password_hash AS "accountPasswordHash",
      ARRAY(SELECT share_id FROM session_shares WHERE session_shares.id_hash = s.id_hash ORDER BY share_id)
        AS "unlockedShares"
      FROM sessions s LEFT JOIN users u ON u.uid = s.uid WHERE s.id_hash = $1`,
      [idHash],
    );
  }
  async touchSession(idHash: string, lastSeen: number): Promise<void> {
    await this.query('UPDATE sessions SET last_seen = $1 WHERE id_hash = $2', [lastSeen, idHash]);
  }
  async deleteSession(idHash: string): Promise<void> {
    await this.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }
  async deleteSessionsOf(uid: string): Promise<void> {
    await this.query('DELETE FROM sessions WHERE uid = $1', [uid]);
  }
  async unlockShareInSession(idHash: string, shareId: number): Promise<void> {
    if (!isId(shareId)) return;
    await this.query(
      `INSERT INTO session_shares (id_hash, share_id) SELECT id_hash, $2 FROM sessions WHERE id_hash = $1
      ON CONFLICT DO NOTHING`,
      [idHash, shareId],
    );
  }
  async forgetUnlockedShare(shareId: number): Promise<void> {
    if (!isId(shareId)) return;
    await this.query('DELETE FROM session_shares WHERE share_id = $1', [shareId]);
  }
  async getPeerKey(identity: string): Promise<PinnedPeerKey | undefined> {
    const row = await this.row<{ key_id: string; public_key_pem: string }>(
      'SELECT key_id, public_key_pem FROM peer_keys WHERE identity = $1',
      [identity],
    );
    return row && { keyId: row.key_id, publicKeyPem: row.public_key_pem };
  }
  async savePeerKey(identity: string, key: PinnedPeerKey | undefined, seenAt: number, max: number): Promise<void> {
    if (!key) {
      await this.query('DELETE FROM peer_keys WHERE identity = $1', [identity]);
      return;
    }
    await this.query(
      `INSERT INTO peer_keys (identity, key_id, public_key_pem, seen_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (identity) DO UPDATE SET key_id = excluded.key_id, public_key_pem = excluded.public_key_pem,
       seen_at = excluded.seen_at`,
      [identity, key.keyId, key.publicKeyPem, seenAt],
    );
    const count = await this.row<{ n: number }>('SELECT count(*) AS n FROM peer_keys');
    if ((count?.n ?? 0) <= max) return;
    await this.transaction(async (client) => {
      // One node at a time prunes: each reads who is related and drops the strangers beyond the room left.
      await this.query('SELECT pg_advisory_xact_lock($1)', [PEER_KEY_PRUNE_LOCK], client);
      const rows = (await this.query<RelatedPeerAddress>(RELATED_PEER_ADDRESSES, [], client)).rows;
      await this.query(PRUNE_PEER_KEYS, [identity, relatedPeerIdentities(rows), max], client);
    });
  }
  async countSessions(): Promise<number> {
    return (await this.row<{ n: number }>('SELECT count(*) AS n FROM sessions'))?.n ?? 0;
  }
  async makeSessionRoom(max: number, idleBefore: number, forLogin: boolean): Promise<boolean> {
    if ((await this.countSessions()) < max) return true;
    return this.transaction(async (client) => {
      // One node at a time trims (only when the table is full): two concurrent trims would pick the same oldest rows,
      // and the one that found them gone would wrongly see no room.
      await this.query('SELECT pg_advisory_xact_lock($1)', [SESSION_TRIM_LOCK], client);
      await this.query('DELETE FROM sessions WHERE last_seen < $1', [idleBefore], client);
      const count = (await this.query<{ n: number }>('SELECT count(*) AS n FROM sessions', [], client)).rows[0]?.n ?? 0;
      const dropOldest = async (loggedIn: number, n: number) =>
        (
          await this.query(
            `DELETE FROM sessions WHERE id_hash IN
        (SELECT id_hash FROM sessions WHERE logged_in = $1 ORDER BY last_seen LIMIT $2)`,
            [loggedIn, n],
            client,
          )
        ).rowCount ?? 0;
      // Room is made when anything went; exact counts are moot while other nodes insert concurrently.
      const excess = count - max + 1;
      if (excess <= 0) return true;
      const anonymous = await dropOldest(0, excess);
      if (anonymous >= excess || (anonymous > 0 && !forLogin)) return true;
      return forLogin ? (await dropOldest(1, excess - anonymous)) > 0 || anonymous > 0 : false;
    });
  }

  async getFailures(keys: string[], since: number): Promise<Map<string, FailureCount>> {
    const rows = await this.rows<{ key: string; count: number; last: number }>(
      'SELECT key, count, last FROM throttle_failures WHERE key = ANY($1::text[]) AND last >= $2',
      [keys, since],
    );
    return new Map(rows.map((row) => [row.key, { count: row.count, last: row.last }]));
  }
  async addFailure(key: string, at: number, since: number): Promise<FailureCount> {
    const row = await this.row<FailureCount>(
      `INSERT INTO throttle_failures (key, count, last) VALUES ($1, 1, $2)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN throttle_failures.last < $3 THEN 1 ELSE throttle_failures.count + 1 END,
        last = excluded.last
      RETURNING count, last`,
      [key, at, since],
    );
    return row ?? { count: 1, last: at };
  }
  async clearFailures(key: string): Promise<void> {
    await this.query('DELETE FROM throttle_failures WHERE key = $1', [key]);
  }

  async hitRateWindows(keys: string[], at: number, since: number): Promise<Map<string, RateWindow>> {
    const rows = await this.rows<{ key: string; start: number; count: number }>(
      `INSERT INTO rate_windows (key, start, count)
      SELECT unnest($1::text[]), $2, 1
      ON CONFLICT (key) DO UPDATE SET
        start = CASE WHEN rate_windows.start < $3 THEN excluded.start ELSE rate_windows.start END,
        count = CASE WHEN rate_windows.start < $3 THEN 1 ELSE rate_windows.count + 1 END
      RETURNING key, start, count`,
      [[...new Set(keys)], at, since],
    );
    return new Map(rows.map((row) => [row.key, { start: row.start, count: row.count }]));
  }

  async sweepNodeState(sweep: NodeStateSweep): Promise<void> {
    await this.query('DELETE FROM sessions WHERE last_seen < $1', [sweep.sessionsBefore]);
    await this.query('DELETE FROM throttle_failures WHERE last < $1', [sweep.failuresBefore]);
    // The oldest beyond the cap; one statement, so a count and the rows it deletes agree (two nodes sweeping at once
    // pick the same rows, rather than each deleting its own excess).
    await this.query(
      `DELETE FROM throttle_failures WHERE key IN (SELECT key FROM throttle_failures ORDER BY last, key
      LIMIT GREATEST(0, (SELECT count(*) FROM throttle_failures) - $1))`,
      [sweep.maxFailures],
    );
    await this.query('DELETE FROM rate_windows WHERE start < $1', [sweep.windowsBefore]);
  }

  // The outbox of OCM notifications (store/outbox.ts). The bounds are checked in the insert itself; nodes inserting at
  // the same instant may overshoot them by a few rows, which is all a bound against a dead peer needs.
  private async enqueue({ notification: n, limits }: QueuedNotification, on: Queryable = this.pool): Promise<boolean> {
    const result = await this.query(
      `INSERT INTO ocm_outbox (id, remote, type, provider_id, shared_secret, message, attempts,
      next_attempt_at, created_at)
      SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, 0, $7::bigint, $8::bigint
      WHERE (SELECT count(*) FROM ocm_outbox WHERE remote = $2::text) < $9::bigint
        AND (SELECT count(*) FROM ocm_outbox) < $10::bigint`,
      [
        n.id,
        n.remote,
        n.type,
        n.providerId,
        n.sharedSecret,
        n.message,
        n.nextAttemptAt,
        n.createdAt,
        limits.perRemote,
        limits.total,
      ],
      on,
    );
    return (result.rowCount ?? 0) > 0;
  }
  async enqueueNotification(queued: QueuedNotification): Promise<boolean> {
    return this.enqueue(queued);
  }
  async claimDueNotifications(at: number, leaseUntil: number, limit: number): Promise<OutboxNotification[]> {
    // SKIP LOCKED: a node claiming at the same time passes over the rows this one is claiming instead of waiting, and
    // rows it would have taken are re-checked after this commit (their next attempt is then in the future).
    return this.rows<OutboxNotification>(
      `UPDATE ocm_outbox SET next_attempt_at = $1 WHERE id IN
      (SELECT id FROM ocm_outbox WHERE next_attempt_at <= $2 ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING ${OUTBOX_COLUMNS}`,
      [leaseUntil, at, limit],
    );
  }
  async deleteNotification(id: string): Promise<void> {
    await this.query('DELETE FROM ocm_outbox WHERE id = $1', [id]);
  }
  async rescheduleNotification(id: string, nextAttemptAt: number): Promise<void> {
    await this.query('UPDATE ocm_outbox SET attempts = attempts + 1, next_attempt_at = $1 WHERE id = $2', [
      nextAttemptAt,
      id,
    ]);
  }
  async dropStaleNotifications(maxAttempts: number, createdBefore: number): Promise<OutboxNotification[]> {
    return this.rows<OutboxNotification>(
      `DELETE FROM ocm_outbox WHERE attempts >= $1 OR created_at < $2 RETURNING ${OUTBOX_COLUMNS}`,
      [maxAttempts, createdBefore],
    );
  }

  /**
   * PostgreSQL checks its own pages (checksums, WAL); what we can check is that it answers and has our schema.
   * "ok" like SQLite's integrity_check, or what is wrong.
   */
  async integrityCheck(): Promise<string> {
    const version = await this.schemaVersion();
    if (version !== MIGRATIONS.length) return `schema version ${version}, expected ${MIGRATIONS.length}`;
    return (await this.synchronousCommit()) === 'off' ? 'synchronous_commit is off' : 'ok';
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}
