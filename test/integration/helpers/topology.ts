import type { Store } from '../../../lib/server/store/types';
import { startNode, type NodeOptions } from './node';

// The companion as tests see it, in one of its deployments (issue 11):
//   'single'  — one node with its SQLite database (as `npm start` and most installs run it);
//   'cluster' — two nodes sharing PostgreSQL and a data directory, behind nginx (docs/server.md, Running a cluster).
// Suites written against Service (test/integration/suites/) run unchanged against both; each deployment has its own
// thin test file, so vitest runs them in parallel.

export type Topology = 'single' | 'cluster';

export interface Service {
  topology: Topology;
  /** The public URL: the node's own, or the balancer's. */
  url: string;
  /** Everything every node of it logged. */
  logs(): string;
  /** Files of a user on disk (the shared data directory of a cluster). */
  filesOf(user: string): string;
  /** Runs `work` on its store (SQLite file or PostgreSQL database), for tests that set up odd states. */
  withStore<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /** How many requests each node answered (keyed by node); one entry for a single node. */
  requestsPerNode(): Map<string, number>;
  stop(): Promise<void>;
}

export async function startService(topology: Topology, options: NodeOptions = {}): Promise<Service> {
  if (topology === 'cluster') return (await import('./cluster')).startCluster(options);
  const node = await startNode(options);
  return {
    topology,
    url: node.url,
    logs: () => node.logs(),
    filesOf: (user) => node.filesOf(user),
    withStore: (work) => node.withStore(work),
    requestsPerNode: () => new Map([[node.url, (node.logs().match(/"msg":"request"/g) ?? []).length]]),
    stop: () => node.stop(),
  };
}
