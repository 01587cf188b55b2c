import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort } from './node';

// A throwaway PostgreSQL cluster for tests: Debian's initdb/pg_ctl (scripts/setup.mjs installs the `postgresql`
// package; its system service is not used), in a temp dir, listening on a free 127.0.0.1 port and on a unix socket in
// that dir. initdb refuses to run as root, so as root the cluster belongs to the `postgres` system user.

const run = promisify(execFile);

/** The newest /usr/lib/postgresql/N/bin (Debian keeps the binaries there, off PATH). */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL is not installed (apt-get install postgresql; npm test does it)');
  return path.join(root, newest, 'bin');
}

/** Creates a fresh, empty database in the cluster of `adminUrl`; returns its connection URL. */
export async function createDatabase(adminUrl: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface PostgresCluster {
  port: number;
  /** URL of the cluster's `postgres` database (for creating others). */
  adminUrl: string;
  /** Directory of the unix socket. */
  socketDir: string;
  /** A fresh, empty database; returns its connection URL. */
  createDatabase(): Promise<string>;
  /** `pg_ctl restart` (fast shutdown: open connections are cut, as in a real restart). */
  restart(): Promise<void>;
  /**
   * A crash and a start: `pg_ctl stop -m immediate` ends every process of the cluster without a checkpoint or a flush
   * of what is only in its memory (as kill -9 or a power cut would), so the start recovers from the WAL on disk.
   */
  crashRestart(): Promise<void>;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) every process of the cluster: a database that stops answering. */
  freeze(frozen: boolean): Promise<void>;
  /** Stops the cluster and deletes it. */
  destroy(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'atc-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const tool = (name: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, name), ...args]) : run(path.join(bin, name), args);

  // --no-sync only for initdb's own files: the server itself runs with fsync on (the durability tests need it).
  await tool('initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
    '--no-instructions',
  ]);
  const port = await freePort();
  // synchronous_commit is off by default here, and the WAL writer flushes only every 10 s: a connection that does not
  // force it on (store/postgres.ts does) has its acknowledged commits only in PostgreSQL's memory for a while, so a
  // crash (crashRestart) loses them and the durability tests notice.
  const options = [
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c shared_buffers=16MB`,
    '-c synchronous_commit=off -c wal_writer_delay=10s',
  ].join(' ');
  const pgCtl = (...args: string[]) => tool('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '30', ...args]);
  const startServer = async () => {
    await pgCtl('-o', options, 'start');
  };
  await startServer();

  const adminUrl = (db: string) => `postgresql://postgres@localhost/${db}?host=${encodeURIComponent(dir)}&port=${port}`;
  return {
    port,
    socketDir: dir,
    adminUrl: adminUrl('postgres'),
    createDatabase: () => createDatabase(adminUrl('postgres')),
    async restart() {
      await pgCtl('-m', 'fast', '-o', options, 'restart');
    },
    async crashRestart() {
      await pgCtl('-m', 'immediate', 'stop');
      await startServer();
    },
    async stopServer() {
      await pgCtl('-m', 'fast', 'stop');
    },
    startServer,
    async freeze(frozen) {
      const postmaster = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '';
      const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', postmaster]);
      const pids = [
        Number(postmaster),
        ...stdout
          .split('\n')
          .map((line) => Number(line.trim()))
          .filter((pid) => pid > 0),
      ];
      for (const pid of pids) process.kill(pid, frozen ? 'SIGSTOP' : 'SIGCONT');
    },
    async destroy() {
      await pgCtl('-m', 'immediate', 'stop').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
