import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { ServerConfig } from './config';
import type { Store } from './store/types';
import { Sessions } from './http/session';
import { MAX_FAILURE_COUNTS, Throttle } from './http/throttle';
import { UserTree, type TreeObserver } from './files/tree';
import { RateLimiter } from './federation/rate-limit';
import { Outbound } from './federation/outbound';
import { Quota } from './files/quota';
import { ClientAddresses, parseTrustedProxies } from './http/client-ip';
import { uploadsDir } from './files/uploads';
import { NODE_STATE_SWEEP_MS, RATE_WINDOW_MS, SESSION_IDLE_MS, THROTTLE_WINDOW_MS } from './timeouts';

/**
 * Told about every change to a user's tree (shares/follow.ts keeps shares on their items). Handed in by app.ts rather
 * than imported here: what it does needs the App itself, and an import would make context.ts and shares/ a cycle.
 */
type TreeObserverOf = (app: App, uid: string) => TreeObserver;

/** Long-lived services shared by all routes of one node. */
/**
 * Login Flow v2 starts one client address may make per minute. A person starts one flow per login; each start is a
 * row kept for LOGIN_FLOW_LIFETIME_S, so without a limit anyone could fill the database with them.
 */
const LOGIN_FLOWS_PER_CLIENT_PER_MINUTE = 30;

export class App {
  readonly sessions: Sessions;
  readonly loginThrottle: Throttle;
  readonly linkThrottle: Throttle;
  /** Anonymous federation calls per minute, per sending server and per client IP (federation/rate-limit.ts). */
  readonly federationLimiter: RateLimiter;
  /** Login Flow v2 starts per client address (each one is a stored row, and anyone may start one). */
  readonly loginFlowLimiter: RateLimiter;
  /** Short-lived cache of verified Basic credentials, so scrypt runs once per minute per client, not per request. */
  readonly authCache = new Map<
    string,
    { uid: string; appPasswordId: number | null; passwordHash: string; until: number }
  >();
  /** Credential checks still running (scrypt), so concurrent requests with the same credentials wait for one. */
  readonly authInflight = new Map<string, Promise<{ uid: string; appPasswordId: number | null } | undefined>>();

  /** Suffix of oc:id values, stable per node (ownCloud uses its instance id the same way). */
  readonly instanceId: string;
  /** Where calls to other servers may go (lib/server/federation/outbound.ts). */
  readonly outbound: Outbound;
  /** Who the client of a request is (the socket peer, or what a trusted proxy says). */
  readonly clientAddresses: ClientAddresses;
  /** Storage quota of every user (uploads into a user's links count against that user). */
  readonly quota: Quota;

  constructor(
    readonly config: ServerConfig,
    readonly store: Store,
    readonly log: Logger,
    private readonly observerOf: TreeObserverOf,
  ) {
    this.instanceId = `oc${createHash('sha256').update(config.publicUrl).digest('hex').slice(0, 10)}`;
    this.quota = new Quota(config.userQuotaBytes, async (uid) => {
      try {
        return await new UserTree(this.treeRoot(uid), this.uploadsOf(uid)).sizeOf([]);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0; // no files yet
        throw error;
      }
    });
    this.clientAddresses = new ClientAddresses(parseTrustedProxies(config.trustedProxies));
    // Sessions, failure counts and rate windows live in the store, shared by every node of a cluster (issue 11).
    this.sessions = new Sessions({ cookieName: this.instanceId, maxSessions: Math.max(1, config.maxSessions), store });
    const limits = { perClient: config.throttleFailures, global: config.throttleGlobalFailures };
    this.loginThrottle = new Throttle(limits, store, 'login');
    this.linkThrottle = new Throttle(limits, store, 'link');
    this.federationLimiter = new RateLimiter(config.federationRateLimit, store);
    this.loginFlowLimiter = new RateLimiter(LOGIN_FLOWS_PER_CLIENT_PER_MINUTE, store);
    this.outbound = new Outbound(config);
    this.sweeper = setInterval(() => void this.sweepNodeState(), NODE_STATE_SWEEP_MS);
    this.sweeper.unref();
  }

  private readonly sweeper: NodeJS.Timeout;

  /** Deletes sessions, failure counts and rate windows that expired (any node may do it; it is idempotent). */
  async sweepNodeState(): Promise<void> {
    const now = Date.now();
    try {
      await this.store.sweepNodeState({
        sessionsBefore: now - SESSION_IDLE_MS,
        failuresBefore: now - THROTTLE_WINDOW_MS,
        windowsBefore: now - RATE_WINDOW_MS,
        maxFailures: MAX_FAILURE_COUNTS,
      });
    } catch (error) {
      this.log.warn({ err: error }, 'sweeping expired sessions and counters failed; next try in a minute');
    }
  }

  /** Stops the periodic work (the node is closing). */
  stop(): void {
    clearInterval(this.sweeper);
  }

  tree(uid: string): UserTree {
    return new UserTree(this.treeRoot(uid), this.uploadsOf(uid), {
      observer: this.observerOf(this, uid),
      uploadGuard: (replaced, declared) => this.quota.guard(uid, replaced, declared),
    });
  }

  private treeRoot(uid: string): string {
    return path.join(this.config.dataDir, 'files', uid);
  }

  private uploadsOf(uid: string): string {
    return path.join(uploadsDir(this.config.dataDir, this.config.nodeName), uid);
  }
}

/** Everything one request handler gets. */
export interface Ctx {
  app: App;
  req: IncomingMessage;
  res: ServerResponse;
  /** Raw (still percent-encoded) path without the query string; DAV code decodes it segment by segment. */
  path: string;
  query: URLSearchParams;
  params: Record<string, string | undefined>;
  ip: string;
}

export type Handler = (ctx: Ctx) => Promise<void> | void;
