import { readFileSync } from 'node:fs';
import { defaultNodeName } from './files/uploads';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_NOTIFICATION_RETRY_MS,
  DEFAULT_REMOTE_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from './timeouts';

// Everything a running node needs to know about itself. Built once by the CLI and passed down, so routes never read
// process.env or argv themselves (tests start nodes with different settings side by side).
export interface ServerConfig {
  /** Directory holding the per-user file trees (and the SQLite database unless `database` names PostgreSQL). */
  dataDir: string;
  /** PostgreSQL connection URL (postgres://…) shared by the nodes of a cluster; undefined: SQLite in dataDir. */
  database?: string;
  /** The address peers and browsers use to reach this node, without a trailing slash (e.g. http://127.0.0.1:8201). */
  publicUrl: string;
  host: string;
  port: number;
  /** Outgoing federation: share links can be mounted elsewhere and shareType 6 shares can be sent. */
  federationOutgoing: boolean;
  federationIncoming: boolean;
  /** Link-share policy advertised in the capabilities and enforced on creation. */
  linkPasswordEnforced: boolean;
  /** Days until a link expires by default; 0 = expiry not enforced. */
  linkExpireDays: number;
  linkExpireEnforced: boolean;
  /** Failed logins / link-password guesses allowed per (client IP, account or token) before requests get 429. */
  throttleFailures: number;
  /** Request body limit for everything that is not a file upload. */
  maxBodyBytes: number;
  /** How long a call to another server may stay silent (connecting, before the headers, between body chunks; ms). */
  remoteTimeoutMs: number;
  /**
   * First retry of an undelivered OCM notification (ms; doubles per attempt), and how often nodes look for due
   * ones.
   */
  notificationRetryMs: number;
  // Incoming federation limits (issue 8, finding 9). Anonymous OCM / legacy cloud/shares calls per minute, counted per
  // sending server and per client IP (0 = unlimited); pending (not yet accepted) received shares per user.
  federationRateLimit: number;
  maxPendingShares: number;
  /** Let remotes live at loopback/private/link-local addresses (off: only public addresses, like Nextcloud's
   * allow_local_remote_servers). Needed for nodes on one machine or a LAN; see lib/server/federation/outbound.ts. */
  allowLocalRemotes: boolean;

  // Exposure to the internet (docs/server.md, "Running it on the internet").
  /** A connection silent this long (ms) while we wait for its request or while its response is stuck is closed. */
  idleTimeoutMs: number;
  /** Requests other than uploads (PUT) must arrive completely, headers and body, within this time (ms). */
  requestTimeoutMs: number;
  /** Open connections allowed per client address (0 = no limit); trusted proxies are exempt. */
  maxConnectionsPerIp: number;
  /** Proxies (addresses / CIDRs) whose X-Forwarded-For / Forwarded header names the client. Default: none. */
  trustedProxies: string[];
  /** Failed attempts on one account or link, from all clients together, before clients that failed get backoff. */
  throttleGlobalFailures: number;
  /** Browser sessions kept (in the database); past it the oldest anonymous ones go, never a logged-in one. */
  maxSessions: number;
  /** Bytes each user may store (uploads into their links count too); null = unlimited. */
  userQuotaBytes: number | null;
  /** This node's name among the nodes sharing the data directory (its upload area, files/uploads.ts). Unique per
   * node and stable across its restarts; default: host name and port. */
  nodeName: string;
}

export function defaultConfig(
  overrides: Partial<ServerConfig> & Pick<ServerConfig, 'dataDir' | 'publicUrl'>,
): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 8200,
    federationOutgoing: true,
    federationIncoming: true,
    linkPasswordEnforced: false,
    linkExpireDays: 0,
    linkExpireEnforced: false,
    throttleFailures: 5,
    maxBodyBytes: 1024 * 1024,
    remoteTimeoutMs: DEFAULT_REMOTE_TIMEOUT_MS,
    notificationRetryMs: DEFAULT_NOTIFICATION_RETRY_MS,
    federationRateLimit: 60,
    maxPendingShares: 1000,
    allowLocalRemotes: false,
    idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
    requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    maxConnectionsPerIp: 100,
    trustedProxies: [],
    throttleGlobalFailures: 20,
    maxSessions: 20_000,
    userQuotaBytes: 10 * 1024 ** 3,
    nodeName: defaultNodeName(overrides.port ?? 8200),
    ...overrides,
    publicUrl: overrides.publicUrl.replace(/\/+$/, ''),
  };
}

/** Version fields are shaped like ownCloud 10 so OC10 peers (which require "version >= 7") accept us; the product name
 * says what we really are. Documented in docs/server.md. */
export const SERVER_VERSION = { major: 10, minor: 15, micro: 2, string: '10.15.2', full: '10.15.2.0' } as const;
/** The companion's own version (package.json), reported as status.php's `companionVersion` next to the ownCloud-shaped
 * fields above, so people and tools can tell which companion release answers. */
export const COMPANION_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
/**
 * status.php's `product`, by which the extension recognises the companion (COMPANION_PRODUCT in
 * lib/instance/server-status.ts). Written twice on purpose: the server imports nothing of the extension (they ship
 * apart), and test/unit/server/product-name.test.ts fails if the two ever differ.
 */
export const PRODUCT_NAME = 'Add to Cloud companion';
