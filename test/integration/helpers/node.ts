import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../../lib/server/store/sqlite';
import { PostgresStore } from '../../../lib/server/store/postgres';
import { createDatabase } from './postgres';
import type { Store } from '../../../lib/server/store/types';
import { hashPassword } from '../../../lib/server/secrets';

// Starts real companion server processes (`node --import tsx lib/server/cli.ts serve …`) on free 127.0.0.1 ports.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(ROOT, 'lib/server/cli.ts');

export interface TestUser {
  name: string;
  password: string;
  displayName?: string;
}

export interface TestNode {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the process wrote to stdout/stderr (the JSON log). */
  logs(): string;
  /** Files of a user on disk. */
  filesOf(user: string): string;
  /** Runs `work` on the node's own store (SQLite file or PostgreSQL database), for tests that set up odd states. */
  withStore<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /** Process id of the running server (changes on restart); for sampling its memory in /proc. */
  pid(): number | undefined;
  stop(): Promise<void>;
  kill9(): Promise<void>;
  /** Starts the process again on the same port and data directory. */
  restart(): Promise<void>;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The PostgreSQL database of each test node's data directory (nodes started on PostgreSQL only). */
const databaseOfDataDir = new Map<string, string>();

/** Runs the CLI; a `--data` of a test node on PostgreSQL gets that node's database (ATC_DATABASE). */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dataDir = args[args.indexOf('--data') + 1];
  const database = args.includes('--data') && dataDir ? databaseOfDataDir.get(dataDir) : undefined;
  const env = database && !args.includes('--database') ? { ...process.env, ATC_DATABASE: database } : process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function waitForStatus(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/status.php`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

export interface NodeOptions {
  users?: TestUser[];
  args?: string[];
  /** Pass --allow-local-remotes (default true: test nodes federate over 127.0.0.1); false starts a node as on the internet. */
  allowLocalRemotes?: boolean;
  /** Files to create: user -> relative path -> content (a path ending in "/" is a folder). */
  files?: Record<string, Record<string, string>>;
  /**
   * The loopback address to listen on (default 127.0.0.1). Browser tests put other people's servers on another
   * one (127.0.0.2): a different host for the browser, as in the world — its own cookies, no shared permission.
   */
  host?: string;
  /** PostgreSQL URL (`--database`); users are written there. Default: SQLite in the data directory. */
  database?: string;
  /** An existing data directory to share with another node (it is left in place on stop). */
  dataDir?: string;
  /** The public URL (`--url`), e.g. the one address of several nodes behind a load balancer. */
  publicUrl?: string;
}

/** Writes `files` (see NodeOptions) into the user trees of a data directory. */
export function writeFiles(dataDir: string, files: NodeOptions['files'] = {}): void {
  for (const [user, tree] of Object.entries(files)) {
    mkdirSync(path.join(dataDir, 'files', user), { recursive: true });
    for (const [rel, content] of Object.entries(tree)) {
      const target = path.join(dataDir, 'files', user, rel);
      if (rel.endsWith('/')) mkdirSync(target, { recursive: true });
      else {
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
    }
  }
}

export async function startNode(options: NodeOptions = {}): Promise<TestNode> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'atc-node-'));
  const host = options.host ?? '127.0.0.1';
  const port = await freePort(host);
  const url = `http://${host}:${port}`;
  const publicUrl = options.publicUrl ?? url;
  // ATC_TEST_POSTGRES=1 (helpers/postgres-global.ts): every node gets its own database in the run's cluster.
  const admin = process.env.ATC_TEST_POSTGRES_ADMIN;
  if (options.database === undefined && admin) options = { ...options, database: await createDatabase(admin) };
  if (options.database) databaseOfDataDir.set(dataDir, options.database);
  // Users are written straight into the store (same code as `user add`, without a process start per user).
  const store = options.database
    ? await PostgresStore.open(options.database)
    : new SqliteStore(path.join(dataDir, 'server.db'));
  for (const user of options.users ?? []) {
    await store.addUser({
      uid: user.name,
      displayName: user.displayName ?? user.name,
      passwordHash: hashPassword(user.password),
    });
    mkdirSync(path.join(dataDir, 'files', user.name), { recursive: true });
  }
  await store.close();
  writeFiles(dataDir, options.files);
  const local = options.allowLocalRemotes === false ? [] : ['--allow-local-remotes'];
  const node = await startServeProcess({
    host,
    port,
    args: [
      '--data',
      dataDir,
      '--url',
      publicUrl,
      ...local,
      ...(options.database ? ['--database', options.database] : []),
      ...(options.args ?? []),
    ],
  });
  return {
    ...node,
    url,
    dataDir,
    filesOf: (user) => path.join(dataDir, 'files', user),
    async withStore(work) {
      const own = options.database
        ? await PostgresStore.open(options.database)
        : new SqliteStore(path.join(dataDir, 'server.db'));
      try {
        return await work(own);
      } finally {
        await own.close();
      }
    },
    async stop() {
      await node.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One `serve` process (no data directory of its own: the caller owns it). */
export interface ServeProcess {
  port: number;
  logs(): string;
  pid(): number | undefined;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
  kill9(): Promise<void>;
  /** Starts the process again with the same arguments. */
  restart(): Promise<void>;
}

/** Starts `cli.ts serve --host HOST --port PORT …args` and waits until it answers /status.php on that port. */
export async function startServeProcess(options: {
  host?: string;
  port: number;
  args: string[];
}): Promise<ServeProcess> {
  const host = options.host ?? '127.0.0.1';
  let output = '';
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, 'serve', '--host', host, '--port', String(options.port), ...options.args],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LOG_LEVEL: 'debug' },
      },
    );
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitForStatus(`http://${host}:${options.port}`, child);
  };
  const exited = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  await launch();
  return {
    port: options.port,
    logs: () => output,
    pid: () => child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited();
      }
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited();
    },
    restart: launch,
  };
}
