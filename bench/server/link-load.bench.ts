import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { machineLine, median, mib, percentile, procKib, rssSampler, sleep, table, verdict } from './common';
import { AUTH, basicAuth, createLink, startNode, type BenchNode } from './node';

/**
 * Public-link creation under load: 50 concurrent clients create 2,000 links through the OCS API (what the extension's
 * "share" button does), with the latency of each request, the throughput, and the server's memory (VmRSS) at idle and
 * at its peak under the load. A first wave of 50 simultaneous requests by a second account shows the cold case too:
 * no login is cached yet, so each of them checks the password with scrypt; meanwhile a probe downloads a small file
 * through a public link (no password check, only file-system calls) to show what that burst does to other requests.
 */

const CLIENTS = 50;
const TOTAL = 2_000;
const FILES = 200;
const TIME_LIMIT_MS = 90_000;
const BUDGET_P99_MS = 500;
const COLD_USER = 'carol';

/** Time of one small public download (no login: only routing, SQLite and file-system calls). */
async function probe(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`probe download answered ${response.status}`);
  return performance.now() - started;
}

async function createOne(url: string, filePath: string, auth: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/ocs/v2.php/apps/files_sharing/api/v1/shares?format=json`, {
    method: 'POST',
    headers: { Authorization: auth, 'OCS-APIRequest': 'true', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ path: filePath, shareType: '3', permissions: '1' }),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200 || !text.includes('"token"'))
    throw new Error(`link creation answered ${response.status}: ${text.slice(0, 200)}`);
  return ms;
}

/** `clients` loops sharing one counter until `total` requests are done or the deadline passes. */
async function load(
  url: string,
  clients: number,
  total: number,
  deadline: number,
  auth = AUTH,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total && Date.now() < deadline) {
        const n = next++;
        latencies.push(await createOne(url, `/file-${n % FILES}.txt`, auth));
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

export async function run(): Promise<string> {
  let node: BenchNode | undefined;
  try {
    node = await startNode(
      (files) => {
        for (const dir of [files, path.join(files, '..', COLD_USER)]) {
          for (let i = 0; i < FILES; i++) writeFileSync(path.join(dir, `file-${i}.txt`), `file ${i}\n`);
        }
      },
      [COLD_USER],
    );
    await sleep(1000); // let start-up garbage settle
    const idleRss = procKib(node.pid, 'VmRSS');
    const deadline = Date.now() + TIME_LIMIT_MS;
    const probeUrl = `${node.url}/index.php/s/${await createLink(node.url, '/file-0.txt')}/download`;
    const probeIdle: number[] = [];
    for (let i = 0; i < 20; i++) probeIdle.push(await probe(probeUrl));

    const coldSampler = rssSampler(node.pid, 10);
    const probeCold: number[] = [];
    let coldDone = false;
    const [cold] = await Promise.all([
      load(node.url, CLIENTS, CLIENTS, deadline, basicAuth(COLD_USER)).finally(() => (coldDone = true)),
      (async () => {
        await sleep(20);
        while (!coldDone && Date.now() < deadline) probeCold.push(await probe(probeUrl));
      })(),
    ]);
    const coldPeak = coldSampler.stop();

    await sleep(500);
    const warmIdleRss = procKib(node.pid, 'VmRSS');
    const sampler = rssSampler(node.pid, 10);
    const warm = await load(node.url, CLIENTS, TOTAL, deadline);
    const peakRss = sampler.stop();
    const hwm = procKib(node.pid, 'VmHWM');
    const p99 = percentile(warm.latencies, 99);

    const row = (label: string, r: { latencies: number[]; seconds: number }) => [
      label,
      String(r.latencies.length),
      median(r.latencies).toFixed(1),
      percentile(r.latencies, 90).toFixed(1),
      percentile(r.latencies, 99).toFixed(1),
      Math.max(...r.latencies).toFixed(1),
      (r.latencies.length / r.seconds).toFixed(0),
    ];
    return [
      `## Companion server: link creation with ${CLIENTS} concurrent clients, and memory`,
      '',
      machineLine(),
      '',
      table(
        ['phase', 'links created', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'links/s'],
        [
          row(`cold: ${CLIENTS} simultaneous first requests of another account (no login cached, scrypt each)`, cold),
          row(`warm: ${TOTAL.toLocaleString('en')} creations, ${CLIENTS} concurrent clients`, warm),
        ],
        ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
      table(
        ['server process', 'VmRSS'],
        [
          ['idle, after start-up', mib(idleRss)],
          ['peak during the cold wave', mib(coldPeak)],
          ['idle, after the cold wave', mib(warmIdleRss)],
          [`peak during the ${TOTAL.toLocaleString('en')} creations`, mib(peakRss)],
          ["VmHWM (kernel's peak over the process lifetime)", mib(hwm)],
        ],
        ['l', 'r'],
      ),
      '',
      table(
        ['probe: public-link download of a 7-byte file, one at a time', 'requests', 'median ms', 'max ms'],
        [
          ['idle', String(probeIdle.length), median(probeIdle).toFixed(1), Math.max(...probeIdle).toFixed(1)],
          [
            'while the cold wave runs',
            String(probeCold.length),
            median(probeCold).toFixed(1),
            Math.max(0, ...probeCold).toFixed(1),
          ],
        ],
        ['l', 'r', 'r', 'r'],
      ),
      '',
      `Warm p99 ${p99.toFixed(0)} ms — budget p99 ≤ ${BUDGET_P99_MS} ms with ${CLIENTS} clients: ${verdict(p99 <= BUDGET_P99_MS)}.`,
      '',
      `How: one companion node (\`cli.ts serve\`, started with \`node --import tsx\`, so the RSS includes the TypeScript loader)` +
        ` with ${FILES} small files; ${CLIENTS} client loops in the benchmark process (Node's fetch, keep-alive) POST` +
        ' `/ocs/v2.php/apps/files_sharing/api/v1/shares?format=json` with Basic auth, `OCS-APIRequest: true` and' +
        ' `path=/file-N.txt&shareType=3&permissions=1`, each waiting for its answer before the next. Latency is from send' +
        ' to the last byte of the answer. The cold wave (account carol, whose login nobody used yet) runs first, while the' +
        " probe repeats its download; then alice's warm run." +
        ' RSS is VmRSS from' +
        ` /proc/PID/status sampled every 10 ms; the run stops after ${TIME_LIMIT_MS / 1000} s whatever the count.`,
    ].join('\n');
  } finally {
    await node?.stop();
  }
}
