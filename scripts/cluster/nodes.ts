import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';

// The companion nodes of a cluster on this machine, as docs/server.md "Running a cluster" describes them: every node
// shares one data directory and one database, names the balancer's URL as the public one, trusts the balancer as a
// proxy (so throttling and logs see the client's address) and has a name of its own for the logs. Shared by
// `npm run cluster` (scripts/cluster/run.ts), the cluster benchmark and the tests' cluster deployment.

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'lib/server/cli.ts');

export interface ClusterNodeOptions {
  /** The data directory every node shares. */
  dataDir: string;
  /** The PostgreSQL database every node shares; without it the node keeps SQLite in the data directory. */
  databaseUrl?: string;
  /** The public URL: the balancer's. */
  url: string;
}

/** The `serve` arguments of node number `index` (from 1), without its port. */
export function clusterNodeArgs(options: ClusterNodeOptions, index: number): string[] {
  return [
    '--data',
    options.dataDir,
    ...(options.databaseUrl ? ['--database', options.databaseUrl] : []),
    '--url',
    options.url,
    '--trusted-proxy',
    '127.0.0.1',
    '--node-name',
    `node-${index}`,
  ];
}

/**
 * Starts node number `index` on 127.0.0.1:`port`, its output appended to `logFile`, and waits (30 s at most) until it
 * answers /status.php. `spawned` gets the process as soon as it exists, so that the caller can stop it even when the
 * wait fails.
 */
export async function startClusterNode(
  options: ClusterNodeOptions & {
    index: number;
    port: number;
    logFile: string;
    spawned(child: ChildProcess): void;
  },
): Promise<ChildProcess> {
  const log = openSync(options.logFile, 'a');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'serve', '--port', String(options.port), ...clusterNodeArgs(options, options.index)],
    { cwd: ROOT, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  options.spawned(child);
  await waitForNode(`http://127.0.0.1:${options.port}`, child, options.logFile);
  return child;
}

async function waitForNode(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`a node exited with ${child.exitCode}; see ${logFile}`);
    const up = await fetch(`${url}/status.php`, { signal: AbortSignal.timeout(2000) }).then(
      async (response) => (await response.arrayBuffer(), response.ok),
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`a node did not start; see ${logFile}`);
}
