// Every time limit of the companion in one place, with the reason for its value. Defaults of settings (--idle-timeout,
// --request-timeout, --remote-timeout) are the values a node runs with unless configured; the rest are fixed.

// --- Connections from clients (app.ts) ---

/**
 * --idle-timeout default: a connection silent this long while we wait for its request or while it does not read our
 * answer is closed. 30 s is far longer than any live client pauses, and short enough that idle or stalled sockets
 * (slowloris) do not pile up.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/**
 * --request-timeout default: a request other than an upload (PUT) must arrive completely within this time. Those
 * bodies are small (at most maxBodyBytes), so a minute is generous even on a slow mobile link.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * Bounds of how often Node checks the header timeout (connectionsCheckingInterval, half the idle timeout): Node's own
 * 30 s would make short idle timeouts imprecise, and checking more often than every 250 ms only costs CPU.
 */
export const MIN_CONNECTION_CHECK_MS = 250;
export const MAX_CONNECTION_CHECK_MS = 30_000;

/** How long SIGTERM waits for requests in flight (systemd's default stop timeout is 90 s, so this fits in it). */
export const SHUTDOWN_GRACE_MS = 10_000;
/** While draining, connections done with their request are closed this often: a stop waits only for live ones. */
export const DRAIN_IDLE_CHECK_MS = 50;

/** Browsers cache our stylesheet, script and icon an hour (web/assets.ts); an upgrade shows within the hour. */
export const ASSET_MAX_AGE_S = 3600;

// --- Calls to other servers (federation/) ---

/**
 * --remote-timeout default: the longest silence of another server (connecting, before its headers, between two body
 * chunks). Silence, not total time, so a large file read through a mount may stream for as long as it keeps moving;
 * 5 s is long for a server that is up, and short enough that a dead peer does not hold a user's request for long.
 */
export const DEFAULT_REMOTE_TIMEOUT_MS = 5000;

/** Nextcloud refuses a signed request whose date is older than 300 s; we refuse the same (federation/signature.ts). */
export const MAX_SIGNATURE_AGE_MS = 300_000;

/** Peer keys (federation/keys.ts): an advertised key is used for an hour before the peer is asked again. */
export const PEER_KEY_TTL_MS = 3_600_000;
/** "This peer advertises no key" holds 10 minutes (an ownCloud 10 upgraded to Nextcloud starts signing). */
export const PEER_NO_KEY_TTL_MS = 600_000;
/** An unreachable peer is asked for its key again after a minute. */
export const PEER_UNREACHABLE_TTL_MS = 60_000;
/** A signature failing with the cached key refetches it (key rotation), at most once a minute per peer. */
export const PEER_KEY_MIN_REFRESH_MS = 60_000;

/**
 * --notification-retry default: an OCM notification the peer did not take (down, 5xx) is tried again after this long,
 * then after twice as long each time (federation/notification-outbox.ts); it is also how often a node looks for due
 * ones. Half a minute covers a peer restarting without hammering one that is down.
 */
export const DEFAULT_NOTIFICATION_RETRY_MS = 30_000;
/** The shortest retry interval a node accepts, so a --notification-retry of 0 cannot make it spin. */
export const MIN_NOTIFICATION_RETRY_MS = 100;
/** The longest wait between two attempts of a notification: a peer down for a day is still asked every hour. */
export const NOTIFICATION_MAX_BACKOFF_MS = 3_600_000;
/**
 * A notification a node is sending is not due for others for this long. It covers a whole delivery (discovery on up
 * to four addresses and the POST, each allowed --remote-timeout of silence several times over); when the node dies
 * mid-delivery, another one sends it after this.
 */
export const NOTIFICATION_LEASE_MS = 300_000;
/**
 * One attempt at a notification may take this many --remote-timeout silences in all (a discovery on up to four
 * addresses and the POST, each connecting, answering and reading), so a peer that keeps trickling bytes cannot hold a
 * round of the outbox, or a request, for good; and at most NOTIFICATION_ATTEMPT_MAX_MS, well inside the lease, so no
 * other node takes the notification over while this one still sends it.
 */
export const NOTIFICATION_ATTEMPT_SILENCES = 20;
export const NOTIFICATION_ATTEMPT_MAX_MS = 120_000;
/**
 * A notification not delivered within a day is given up (logged): the share it is about has long been retried by the
 * user or the peer is gone. Servers like Nextcloud do not retry at all.
 */
export const NOTIFICATION_MAX_AGE_MS = 86_400_000;

// --- Logins and caches ---

/** A browser session ends after an hour without a request (the node's sweep then deletes it). */
export const SESSION_IDLE_MS = 3_600_000;
/** A session's last_seen is written at most once a minute: a browsing session costs one read per request, no write. */
export const SESSION_TOUCH_MS = 60_000;

/** Failed logins and link passwords count for 15 minutes after the last one (http/throttle.ts). */
export const THROTTLE_WINDOW_MS = 900_000;
/** The longest backoff a client over the limit waits between guesses (2 s, 4 s, 8 s … up to this). */
export const THROTTLE_MAX_BLOCK_MS = 300_000;

/** Anonymous federation calls are counted per one-minute window (federation/rate-limit.ts). */
export const RATE_WINDOW_MS = 60_000;

/** How often a node deletes expired sessions, failure counts and rate windows (any node may; it is idempotent). */
export const NODE_STATE_SWEEP_MS = 60_000;

/**
 * Verified Basic credentials are cached this long (http/auth.ts), so scrypt runs once per minute per client and not
 * per request, and an app password's "last used" is written at most once a minute. A revoked app password clears
 * the cache at once, so the minute never extends a revocation.
 */
export const AUTH_CACHE_MS = 60_000;

/** A Login Flow v2 lives 20 minutes (Nextcloud's lifetime): time to log in and grant, then the poll finds nothing. */
export const LOGIN_FLOW_LIFETIME_S = 1200;

/**
 * A user's storage use is walked at most once a minute (files/quota.ts); uploads in between correct it. A stale value
 * can only delay a refusal: before refusing, the tree is walked again.
 */
export const QUOTA_USAGE_CACHE_MS = 60_000;

/** How often the capabilities ask clients to poll for changes (`core.pollinterval`, in ms as ownCloud gives it). */
export const CLIENT_POLL_INTERVAL_MS = 30_000;

// --- Storage ---

/** SQLite waits this long for another connection's write lock (a backup, a second process) before failing a query. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * PostgreSQL pool (store/postgres.ts). Opening a connection may take this long before the request fails (503): a
 * database that does not accept within 5 s is down or overloaded, and waiting longer only piles up requests.
 */
export const PG_CONNECT_TIMEOUT_MS = 5000;
/** A pooled connection unused this long is closed, so a quiet node does not hold connections other nodes need. */
export const PG_IDLE_CONNECTION_MS = 30_000;
/**
 * A query that has not answered in this long fails (503) and its connection is dropped: a database that hung or whose
 * network vanished without a reset must not hold requests until the client gives up. 15 s is far above any of our
 * queries on a healthy database (they are indexed single-row reads and writes).
 */
export const PG_QUERY_TIMEOUT_MS = 15_000;

/** A temp upload untouched this long belongs to a dead node and is removed, also when the idle timeout is short. */
export const MIN_STALE_UPLOAD_MS = 900_000;

// --- Operator tools ---

/** `doctor` gives each check (a call to the node's public URL, timedatectl) this long before reporting it failed. */
export const DOCTOR_CHECK_TIMEOUT_MS = 5000;

/** `backup` reads the database of a running node: it waits up to this long while the node holds a write lock. */
export const BACKUP_BUSY_TIMEOUT_MS = 5000;
