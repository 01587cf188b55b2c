import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { ServerConfig } from './config';
import type { Store } from './store/types';
import { Sessions } from './http/session';
import { Throttle } from './http/throttle';
import { UserTree } from './files/tree';
import { uploadsDir } from './files/uploads';

/** Long-lived services shared by all routes of one node. */
export class App {
  readonly sessions = new Sessions();
  readonly loginThrottle: Throttle;
  readonly linkThrottle: Throttle;
  /** Short-lived cache of verified Basic credentials, so scrypt runs once per minute per client, not per request. */
  readonly authCache = new Map<string, { uid: string; appPasswordId: number | null; until: number }>();
  /** Credential checks still running (scrypt), so concurrent requests with the same credentials wait for one. */
  readonly authInflight = new Map<string, Promise<{ uid: string; appPasswordId: number | null } | undefined>>();

  /** Suffix of oc:id values, stable per node (ownCloud uses its instance id the same way). */
  readonly instanceId: string;

  constructor(readonly config: ServerConfig, readonly store: Store, readonly log: Logger) {
    this.instanceId = `oc${createHash('sha256').update(config.publicUrl).digest('hex').slice(0, 10)}`;
    this.loginThrottle = new Throttle(config.throttleFailures);
    this.linkThrottle = new Throttle(config.throttleFailures);
  }

  tree(uid: string): UserTree {
    return new UserTree(path.join(this.config.dataDir, 'files', uid), path.join(uploadsDir(this.config.dataDir), uid));
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
