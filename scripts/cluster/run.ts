import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_USERS } from '../../lib/server/demo';
import { hashPassword } from '../../lib/server/secrets';
import { PostgresStore } from '../../lib/server/store/postgres';
import { startPostgres } from '../../test/integration/helpers/postgres';
import { freePort, startBalancer } from './balancer';
import { startClusterNode } from './nodes';

/**
 * `npm run cluster`: the companion as a small cluster on this machine (docs/server.md, "Running a cluster") — a
 * throwaway PostgreSQL, two nodes sharing it and one data directory, and nginx in front, all on 127.0.0.1 and all in
 * one temp dir that goes away on Ctrl-C. The PostgreSQL cluster is the tests' throwaway one (initdb/pg_ctl, as the
 * `postgres` user when run as root). CLUSTER_PORT picks the balancer's port (default 8300).
 */
const NODES = 2;
const port = Number(process.env.CLUSTER_PORT ?? 8300);

const dir = mkdtempSync(path.join(tmpdir(), 'atc-cluster-'));
const dataDir = path.join(dir, 'data');
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];

async function cleanUp(): Promise<void> {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all(
    children.map((child) =>
      child.exitCode !== null || child.signalCode !== null
        ? undefined
        : new Promise((resolve) => child.once('exit', resolve)),
    ),
  );
  for (const cleanup of cleanups.reverse()) await cleanup();
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the cluster…');
  void cleanUp().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  console.log('Starting PostgreSQL…');
  const postgres = await startPostgres();
  cleanups.push(() => postgres.destroy());
  const databaseUrl = await postgres.createDatabase();
  const store = await PostgresStore.open(databaseUrl, { max: 1 });
  await store.addUser({
    uid: 'alice',
    displayName: DEMO_USERS.alice.displayName,
    passwordHash: hashPassword(DEMO_USERS.alice.password),
  });
  await store.close();
  mkdirSync(path.join(dataDir, 'files', 'alice', 'Documents'), { recursive: true });
  writeFileSync(
    path.join(dataDir, 'files', 'alice', 'Documents', 'hello.txt'),
    'Hello from a cluster of companion nodes.\n',
  );

  const url = `http://127.0.0.1:${port}`;
  const nodePorts = await Promise.all(Array.from({ length: NODES }, () => freePort()));
  console.log(`Starting ${NODES} nodes…`);
  await Promise.all(
    nodePorts.map((nodePort, i) =>
      startClusterNode({
        dataDir,
        databaseUrl,
        url,
        index: i + 1,
        port: nodePort,
        logFile: path.join(dir, `node-${i + 1}.log`),
        spawned: (child) => children.push(child),
      }),
    ),
  );
  const balancer = await startBalancer({ port, upstreams: nodePorts.map((nodePort) => `127.0.0.1:${nodePort}`) });
  cleanups.push(() => balancer.stop());

  console.log(`
A companion cluster is running: PostgreSQL on 127.0.0.1:${postgres.port}, ${NODES} nodes (${nodePorts.map((p) => `127.0.0.1:${p}`).join(', ')}),
nginx in front of them.

  URL:    ${url}   (connect the extension to alice@${url.replace('http://', '')})
  Login:  alice / ${DEMO_USERS.alice.password}
  Files:  ${dataDir}
  Logs:   ${dir}/node-*.log

Every request goes to one node or the other (round robin); kill one and the other answers.
Ctrl-C stops everything and removes ${dir}.`);
} catch (error) {
  console.error(`The cluster could not start: ${(error as Error).message}`);
  if (
    (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ||
    /Address already in use/.test((error as Error).message)
  ) {
    console.error(`Port ${port} is taken: CLUSTER_PORT=9300 npm run cluster`);
  }
  await cleanUp();
  process.exit(1);
}
