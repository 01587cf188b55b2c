import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec, freePort, onAbort, sleep, waitForHttp } from './common';

// Starts one companion node the way a user does (`cli.ts user add` + `cli.ts serve`) in a fresh temp data dir, and
// stops it again, removing the dir. The server's own log goes to DIR/server.log (it logs every request at info, as in
// production); its tail is shown when the node fails to start.

const ROOT = path.resolve(import.meta.dirname, '../..');
/** ATC_BENCH_CLI=/elsewhere/lib/server/cli.ts benchmarks another copy of the server (to A/B a change). */
const CLI = path.resolve(process.env.ATC_BENCH_CLI ?? path.join(ROOT, 'lib/server/cli.ts'));

export const USER = 'alice';
export const PASSWORD = 'bench-password-1';
export const basicAuth = (uid: string) => `Basic ${Buffer.from(`${uid}:${PASSWORD}`).toString('base64')}`;
export const AUTH = basicAuth(USER);

export interface BenchNode {
  url: string;
  pid: number;
  /** Data directory (temp); alice's files are in `files`. */
  dir: string;
  files: string;
  stop(): Promise<void>;
}

function cli(args: string[], options: { stdio?: 'ignore' | number } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', options.stdio ?? 'ignore', options.stdio ?? 'ignore'],
  });
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * `prepare(filesDir)` runs after the accounts exist and before the server starts (create alice's test files there).
 * `extraUsers` get accounts too, with the same password and an empty files folder.
 */
export async function startNode(
  prepare: (files: string) => Promise<void> | void = () => undefined,
  extraUsers: string[] = [],
): Promise<BenchNode> {
  const dir = mkdtempSync(path.join(tmpdir(), 'atc-bench-node-'));
  const forgetDir = onAbort(() => rmSync(dir, { recursive: true, force: true }));
  let child: ChildProcess | undefined;
  let forgetChild = (): void => undefined;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      if ((await Promise.race([exited.then(() => true), sleep(5000).then(() => false)])) === false) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    forgetChild();
    rmSync(dir, { recursive: true, force: true });
    forgetDir();
  };
  try {
    for (const uid of [USER, ...extraUsers]) {
      await exec(
        process.execPath,
        ['--import', 'tsx', CLI, 'user', 'add', uid, '--password', PASSWORD, '--data', dir],
        { cwd: ROOT },
      );
    }
    for (const uid of extraUsers) mkdirSync(path.join(dir, 'files', uid), { recursive: true });
    const files = path.join(dir, 'files', USER);
    mkdirSync(files, { recursive: true });
    await prepare(files);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const logFile = path.join(dir, 'server.log');
    const log = openSync(logFile, 'a');
    child = cli(['serve', '--port', String(port), '--data', dir, '--url', url, '--allow-local-remotes'], {
      stdio: log,
    });
    closeSync(log);
    const started = child;
    forgetChild = onAbort(() => started.kill('SIGKILL'));
    try {
      await waitForHttp(`${url}/status.php`, 30_000, () => started.exitCode === null && started.signalCode === null);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- server.log ---\n${tail(logFile)}`);
    }
    if (!started.pid) throw new Error('the server process has no pid');
    return { url, pid: started.pid, dir, files, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** POST a public link (shareType 3, read-only) for `filePath`; returns the token. */
export async function createLink(url: string, filePath: string): Promise<string> {
  const response = await fetch(`${url}/ocs/v2.php/apps/files_sharing/api/v1/shares?format=json`, {
    method: 'POST',
    headers: { Authorization: AUTH, 'OCS-APIRequest': 'true', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ path: filePath, shareType: '3', permissions: '1' }),
  });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`link creation for ${filePath} answered ${response.status}: ${text.slice(0, 200)}`);
  const token = (JSON.parse(text) as { ocs?: { data?: { token?: string } } }).ocs?.data?.token;
  if (!token) throw new Error(`link creation returned no token: ${text.slice(0, 200)}`);
  return token;
}
