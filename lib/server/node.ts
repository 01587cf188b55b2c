import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { createServer } from './app';
import type { ServerConfig } from './config';
import { SqliteStore } from './store/sqlite';
import { PostgresStore } from './store/postgres';
import type { Store } from './store/types';
import { localSigningKey } from './federation/keys';
import { removeStaleUploads, staleAfterMs, sweepStaleUploadsPeriodically } from './files/uploads';
import { DRAIN_IDLE_CHECK_MS, SHUTDOWN_GRACE_MS } from './timeouts';

// Starting and stopping one node programmatically (used by `serve`, `demo` and benchmarks).

export interface RunningNode {
  config: ServerConfig;
  server: Server;
  store: Store;
  port: number;
  /**
   * Stops accepting connections, lets requests in flight finish for up to `graceMs` (default 10 s; uploads are atomic,
   * so one cut off after that leaves nothing half-written), then closes what is left and the database.
   */
  close(graceMs?: number): Promise<void>;
}

/** Resolves when every connection of `server` has closed, or after `graceMs`, whichever comes first. */
function drain(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(idle);
      clearTimeout(deadline);
      resolve();
    };
    server.close(finish);
    // Keep-alive connections that finish their request become idle: close those at once, not after their idle timeout.
    server.closeIdleConnections();
    const idle = setInterval(() => server.closeIdleConnections(), DRAIN_IDLE_CHECK_MS);
    const deadline = setTimeout(finish, graceMs);
  });
}

/** A PostgreSQL connection URL selects PostgreSQL (shared by the nodes of a cluster); else SQLite in the data dir. */
export const isPostgresUrl = (database: string | undefined): database is string =>
  /^postgres(ql)?:\/\//i.test(database ?? '');

/** The node's database: PostgreSQL when `database` is a postgres:// URL, else DATA/server.db. Files stay in dataDir. */
export async function openStore(dataDir: string, database?: string): Promise<Store> {
  mkdirSync(path.join(dataDir, 'files'), { recursive: true });
  if (isPostgresUrl(database)) return PostgresStore.open(database);
  return new SqliteStore(path.join(dataDir, 'server.db'));
}

export async function runNode(config: ServerConfig, log: Logger): Promise<RunningNode> {
  const store = await openStore(config.dataDir, config.database);
  // Made on the first start, so a broken key file stops the node here and not mid-request.
  await localSigningKey(config);
  const uploadArea = { dataDir: config.dataDir, node: config.nodeName, staleMs: staleAfterMs(config.idleTimeoutMs) };
  await removeStaleUploads(uploadArea, log);
  const stopSweeping = sweepStaleUploadsPeriodically(uploadArea, log);
  const { server } = createServer(config, store, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ event: 'listening', host: config.host, port, url: config.publicUrl }, 'listening');
  return {
    config,
    server,
    store,
    port,
    async close(graceMs = SHUTDOWN_GRACE_MS) {
      stopSweeping();
      await drain(server, graceMs);
      server.closeAllConnections();
      await store.close();
    },
  };
}
