import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { startBalancer, type Balancer } from '../../scripts/cluster/balancer';
import { startClusterNode } from '../../scripts/cluster/nodes';
import { startPostgres, type PostgresCluster } from '../../test/integration/helpers/postgres';
import { exec, freePort, machineLine, median, onAbort, percentile, sleep, table } from './common';
import { AUTH, PASSWORD, USER } from './node';

/**
 * Issue 11: the same load against four deployments, one after the other in one run — one node on SQLite, one node on
 * PostgreSQL, the same behind nginx (the balancer's own cost), two nodes on PostgreSQL behind nginx
 * (scripts/cluster/balancer.ts) — with 50 concurrent clients:
 * link creation (OCS POST, a database write per request) and PROPFIND Depth 1 on a folder of 10,000 entries (file
 * system and CPU; the database is asked for the user and the folder's shares only). Everything runs on this machine:
 * the clients, nginx, PostgreSQL and the nodes share its cores, which is what limits the two-node case (the share of
 * the machine's CPU in use is reported next to each phase).
 */

const CLIENTS = 50;
const LINKS = 2_000;
const LINK_FILES = 200;
const ENTRIES = 10_000;
const PROPFINDS = 300;
const TIME_LIMIT_MS = 90_000;
const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'lib/server/cli.ts');

const BODY = `<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop><d:resourcetype/><d:getlastmodified/>
<d:getcontentlength/><d:getetag/><d:getcontenttype/><oc:id/><oc:fileid/><oc:permissions/><oc:size/></d:prop></d:propfind>`;

type Kind = 'sqlite' | 'postgres' | 'postgres-1-nginx' | 'postgres-2';
const KINDS: readonly Kind[] = ['sqlite', 'postgres', 'postgres-1-nginx', 'postgres-2'];
const LABELS: Record<Kind, string> = {
  sqlite: 'SQLite, one node',
  postgres: 'PostgreSQL, one node',
  // The balancer's own cost, so the step from one node to two is not confused with it.
  'postgres-1-nginx': 'PostgreSQL, one node behind nginx',
  'postgres-2': 'PostgreSQL, two nodes behind nginx',
};

interface Deployment {
  url: string;
  stop(): Promise<void>;
}

function populate(files: string): void {
  const many = path.join(files, 'many');
  mkdirSync(many, { recursive: true });
  for (let i = 0; i < ENTRIES; i++)
    writeFileSync(path.join(many, `document-${String(i).padStart(5, '0')}.txt`), `entry ${i}\n`.repeat(1 + (i % 7)));
  for (let i = 0; i < LINK_FILES; i++) writeFileSync(path.join(files, `file-${i}.txt`), `file ${i}\n`);
}

async function startDeployment(kind: Kind, postgres: PostgresCluster): Promise<Deployment> {
  const dir = mkdtempSync(path.join(tmpdir(), 'atc-bench-cluster-'));
  const forgetDir = onAbort(() => rmSync(dir, { recursive: true, force: true }));
  const children: ChildProcess[] = [];
  let balancer: Balancer | undefined;
  const stop = async () => {
    await balancer?.stop();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? undefined
          : new Promise((resolve) => child.once('exit', resolve)),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
    forgetDir();
  };
  try {
    const databaseUrl = kind === 'sqlite' ? undefined : await postgres.createDatabase();
    const database = databaseUrl ? ['--database', databaseUrl] : [];
    await exec(
      process.execPath,
      ['--import', 'tsx', CLI, 'user', 'add', USER, '--password', PASSWORD, '--data', dir, ...database],
      { cwd: ROOT },
    );
    populate(path.join(dir, 'files', USER));
    const nodes = kind === 'postgres-2' ? 2 : 1;
    const balanced = kind === 'postgres-2' || kind === 'postgres-1-nginx';
    const ports = await Promise.all(Array.from({ length: nodes }, () => freePort()));
    const publicPort = balanced ? await freePort() : ports[0];
    const url = `http://127.0.0.1:${publicPort}`;
    await Promise.all(
      ports.map((port, i) =>
        startClusterNode({
          dataDir: dir,
          databaseUrl,
          url,
          index: i + 1,
          port,
          logFile: path.join(dir, `node-${i + 1}.log`),
          spawned(child) {
            children.push(child);
            onAbort(() => child.kill('SIGKILL'));
          },
        }),
      ),
    );
    if (balanced)
      balancer = await startBalancer({ port: publicPort, upstreams: ports.map((port) => `127.0.0.1:${port}`) });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Busy share of all cores between two readings of /proc/stat. */
function cpuReading(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

interface Result {
  latencies: number[];
  seconds: number;
  /** Share of the machine's CPU (all cores) in use meanwhile, 0..1. */
  cpu: number;
}

/** `CLIENTS` loops sharing one counter until `total` requests are done or the deadline passes. */
async function load(total: number, request: (n: number) => Promise<void>): Promise<Result> {
  const latencies: number[] = [];
  const deadline = Date.now() + TIME_LIMIT_MS;
  let next = 0;
  const before = cpuReading();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < total && Date.now() < deadline) {
        const n = next++;
        const begun = performance.now();
        await request(n);
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = cpuReading();
  return { latencies, seconds, cpu: (after.busy - before.busy) / Math.max(1, after.total - before.total) };
}

async function createLink(url: string, n: number): Promise<void> {
  const response = await fetch(`${url}/ocs/v2.php/apps/files_sharing/api/v1/shares?format=json`, {
    method: 'POST',
    headers: { Authorization: AUTH, 'OCS-APIRequest': 'true', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ path: `/file-${n % LINK_FILES}.txt`, shareType: '3', permissions: '1' }),
  });
  const text = await response.text();
  if (response.status !== 200 || !text.includes('"token"'))
    throw new Error(`link creation answered ${response.status}: ${text.slice(0, 200)}`);
}

async function propfind(url: string): Promise<void> {
  const response = await fetch(`${url}/remote.php/dav/files/${USER}/many`, {
    method: 'PROPFIND',
    headers: { Authorization: AUTH, Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
    body: BODY,
  });
  const text = await response.text();
  if (response.status !== 207) throw new Error(`PROPFIND answered ${response.status}: ${text.slice(0, 200)}`);
  // One response per entry plus the folder itself.
  const responses = text.split('<d:response>').length - 1;
  if (responses !== ENTRIES + 1) throw new Error(`PROPFIND listed ${responses - 1} entries, not ${ENTRIES}`);
}

export async function run(): Promise<string> {
  const postgres = await startPostgres();
  const forgetPostgres = onAbort(() => void postgres.destroy());
  const results = new Map<Kind, { links: Result; propfind: Result }>();
  const loadAtStart = machineLine([`${CLIENTS} concurrent clients on the same machine`]);
  try {
    for (const kind of KINDS) {
      const deployment = await startDeployment(kind, postgres);
      try {
        // Warm up: the login is cached and the folder's inodes are in the page cache for every deployment alike.
        for (let i = 0; i < 4; i++) {
          await createLink(deployment.url, i);
          await propfind(deployment.url);
        }
        await sleep(500);
        const links = await load(LINKS, (n) => createLink(deployment.url, n));
        await sleep(500);
        const listing = await load(PROPFINDS, () => propfind(deployment.url));
        results.set(kind, { links, propfind: listing });
      } finally {
        await deployment.stop();
      }
    }
  } finally {
    await postgres.destroy();
    forgetPostgres();
  }

  const rate = (r: Result) => r.latencies.length / r.seconds;
  const row = (kind: Kind, r: Result, unit: string) => [
    LABELS[kind],
    String(r.latencies.length),
    `${rate(r).toFixed(0)} ${unit}`,
    median(r.latencies).toFixed(1),
    percentile(r.latencies, 99).toFixed(1),
    `${Math.round(r.cpu * 100)} %`,
  ];
  const get = (kind: Kind) => results.get(kind) as { links: Result; propfind: Result };
  const growth = (phase: 'links' | 'propfind', from: Kind) => rate(get('postgres-2')[phase]) / rate(get(from)[phase]);
  const pct = (share: number) => `${Math.round(share * 100)} %`;
  /** One line per phase: machine CPU with one node, the growth with two, and what that says about the limit. */
  const verdictOf = (phase: 'links' | 'propfind', name: string, noGainBecause: string) => {
    const one = get('postgres')[phase].cpu;
    const two = get('postgres-2')[phase].cpu;
    const gain = growth(phase, 'postgres');
    const limit =
      gain < 1.1
        ? `no gain: what one node left of the machine went to running a second process and the balancer, and ${noGainBecause}`
        : one >= 0.9
          ? 'the machine was already nearly full with one node, so the second had little left to use'
          : two >= 0.9
            ? 'the second node used the CPU one node left idle (a node is one event loop: about one core at most) until the machine was full'
            : 'neither filled the machine: the limit was elsewhere (waiting on PostgreSQL, the disk or the clients)';
    return `- ${name}: one node kept the machine ${pct(one)} busy, two nodes ×${gain.toFixed(2)} at ${pct(two)}: ${limit}.`;
  };
  const header = ['deployment', 'requests', 'throughput', 'p50 ms', 'p99 ms', 'machine CPU busy'];
  const align: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r'];
  return [
    `## Companion server: one node vs. two behind nginx (SQLite, PostgreSQL), ${CLIENTS} concurrent clients`,
    '',
    loadAtStart,
    '',
    `Link creation (OCS POST, read-only links to ${LINK_FILES} files, ${LINKS.toLocaleString('en')} requests):`,
    '',
    table(
      header,
      KINDS.map((kind) => row(kind, get(kind).links, 'links/s')),
      align,
    ),
    '',
    `PROPFIND Depth 1 on a folder of ${ENTRIES.toLocaleString('en')} entries (${PROPFINDS} requests):`,
    '',
    table(
      header,
      KINDS.map((kind) => row(kind, get(kind).propfind, 'listings/s')),
      align,
    ),
    '',
    `From one PostgreSQL node to two behind nginx: link creation ×${growth('links', 'postgres').toFixed(2)}, PROPFIND ` +
      `×${growth('propfind', 'postgres').toFixed(2)} throughput (×${growth('links', 'postgres-1-nginx').toFixed(2)} and ` +
      `×${growth('propfind', 'postgres-1-nginx').toFixed(2)} against one node behind the same nginx).`,
    '',
    `With ${CLIENTS} clients always waiting, a request's latency is mostly its place in the queue (${CLIENTS} ÷ throughput).`,
    '',
    verdictOf('links', 'Link creation', 'PostgreSQL, which commits every link, runs on the same two cores'),
    verdictOf('propfind', 'PROPFIND', 'listing is CPU and file-system work the machine was already doing at its limit'),
    '',
    `Everything shares this machine's ${cpus().length} cores — the ${CLIENTS} clients (undici, JSON and XML parsing), nginx, ` +
      'PostgreSQL and the nodes — so this shows how much of the machine one node leaves unused, not what a second machine ' +
      'would add. On separate machines throughput would grow with the nodes until PostgreSQL or the shared file system is ' +
      "the limit. The load average above is the machine's, including other jobs running at the same time.",
  ].join('\n');
}
