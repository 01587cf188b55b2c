import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBalancer, type Balancer } from '../../../scripts/cluster/balancer';
import { clusterNodeArgs } from '../../../scripts/cluster/nodes';
import { hashPassword } from '../../../lib/server/secrets';
import { PostgresStore } from '../../../lib/server/store/postgres';
import { freePort, startServeProcess, writeFiles, type NodeOptions, type ServeProcess } from './node';
import { startPostgres, type PostgresCluster } from './postgres';
import type { Service } from './topology';

// The 'cluster' deployment of helpers/topology.ts: two `serve` processes on one PostgreSQL database and one data
// directory, behind nginx (scripts/cluster/balancer.ts), as docs/server.md "Running a cluster" describes. The public
// URL is the balancer's; the nodes trust it as a proxy, so they see the client's address.
//
// One throwaway PostgreSQL per test file (a process of its own), shared by the clusters of that file, each in its own
// database; it goes when the last of them stops.

let postgres: Promise<PostgresCluster> | undefined;
let users = 0;

async function sharedPostgres(): Promise<PostgresCluster> {
  users++;
  postgres ??= startPostgres();
  return postgres;
}

async function releasePostgres(): Promise<void> {
  if (--users > 0 || !postgres) return;
  const cluster = await postgres;
  postgres = undefined;
  await cluster.destroy();
}

export interface TestCluster extends Service {
  nodes: ServeProcess[];
  balancer: Balancer;
  postgres: PostgresCluster;
  databaseUrl: string;
  dataDir: string;
}

export async function startCluster(options: NodeOptions & { nodes?: number } = {}): Promise<TestCluster> {
  const db = await sharedPostgres();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'atc-cluster-'));
  const nodes: ServeProcess[] = [];
  let balancer: Balancer | undefined;
  try {
    const databaseUrl = await db.createDatabase();
    const store = await PostgresStore.open(databaseUrl, { max: 1 });
    try {
      for (const user of options.users ?? []) {
        await store.addUser({
          uid: user.name,
          displayName: user.displayName ?? user.name,
          passwordHash: hashPassword(user.password),
        });
      }
    } finally {
      await store.close();
    }
    writeFiles(dataDir, Object.fromEntries((options.users ?? []).map((user) => [user.name, {}])));
    writeFiles(dataDir, options.files);
    const balancerPort = await freePort();
    const url = `http://127.0.0.1:${balancerPort}`;
    const ports = await Promise.all(Array.from({ length: options.nodes ?? 2 }, () => freePort()));
    const local = options.allowLocalRemotes === false ? [] : ['--allow-local-remotes'];
    nodes.push(
      ...(await Promise.all(
        ports.map((port, i) =>
          startServeProcess({
            port,
            args: [...clusterNodeArgs({ dataDir, databaseUrl, url }, i + 1), ...local, ...(options.args ?? [])],
          }),
        ),
      )),
    );
    balancer = await startBalancer({ port: balancerPort, upstreams: ports.map((port) => `127.0.0.1:${port}`) });
    const started = balancer;
    return {
      topology: 'cluster',
      url,
      nodes,
      balancer: started,
      postgres: db,
      databaseUrl,
      dataDir,
      logs: () => nodes.map((node) => node.logs()).join(''),
      filesOf: (user) => path.join(dataDir, 'files', user),
      async withStore(work) {
        const store = await PostgresStore.open(databaseUrl, { max: 1 });
        try {
          return await work(store);
        } finally {
          await store.close();
        }
      },
      requestsPerNode: () => started.answeredBy(),
      async stop() {
        await started.stop();
        await Promise.all(nodes.map((node) => node.stop()));
        rmSync(dataDir, { recursive: true, force: true });
        await releasePostgres();
      },
    };
  } catch (error) {
    await balancer?.stop();
    await Promise.all(nodes.map((node) => node.stop()));
    rmSync(dataDir, { recursive: true, force: true });
    await releasePostgres();
    throw error;
  }
}
