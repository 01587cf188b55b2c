import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { cpuSeconds, exec, machineLine, median, mib, rssSampler, table, verdict } from './common';
import { createLink, startNode, type BenchNode } from './node';
import { startNginx, type BenchNginx } from './nginx';

/**
 * 100 MiB download through a public link of the companion versus Debian's nginx serving the same file from the same
 * disk, in one run: every round downloads once from each, in rotating order, with curl as the one client for both.
 * Goal: the companion reaches ≥ 0.8 of nginx's throughput (medians; nginx's faster configuration counts).
 */

const SIZE = 100 * 1024 * 1024;
const ROUNDS = 15;
const GOAL = 0.8;
const TIME_LIMIT_MS = 90_000; // rounds stop early past this; each download also has curl --max-time 30

interface Target {
  label: string;
  url: string;
  curlArgs: string[];
  pid: number;
  speeds: number[];
  cpu: number;
}

/** Writes `size` bytes of random data (1 MiB chunks) so nothing along the way can compress it. */
function writeRandomFile(file: string, size: number): void {
  const fd = openSync(file, 'w');
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    for (let written = 0; written < size; written += chunk.length)
      writeSync(fd, randomFillSync(chunk), 0, Math.min(chunk.length, size - written));
  } finally {
    closeSync(fd);
  }
}

/** One download with curl; returns bytes per second over the whole transfer (time to last byte). */
async function download(target: Target): Promise<number> {
  const { stdout } = await exec('curl', [
    '-sS',
    '--max-time',
    '30',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code} %{size_download} %{time_total}',
    ...target.curlArgs,
    target.url,
  ]);
  const [code, size, seconds] = stdout.trim().split(' ').map(Number);
  if (code !== 200 || size !== SIZE || !seconds) throw new Error(`${target.label}: HTTP ${code}, ${size} bytes`);
  return SIZE / seconds;
}

export async function run(): Promise<string> {
  const curlVersion = (await exec('curl', ['--version'])).stdout.split(' ')[1] ?? '?';
  let node: BenchNode | undefined;
  let nginx: BenchNginx | undefined;
  try {
    node = await startNode((files) => writeRandomFile(path.join(files, 'big.bin'), SIZE));
    nginx = await startNginx(node.files);
    const token = await createLink(node.url, '/big.bin');
    const targets: Target[] = [
      {
        label: 'nginx, Debian defaults (sendfile on)',
        url: `${nginx.url}/big.bin`,
        curlArgs: [],
        pid: nginx.pid,
        speeds: [],
        cpu: 0,
      },
      {
        label: 'nginx, sendfile off, output_buffers 2 1m',
        url: `${nginx.url}/buffered/big.bin`,
        curlArgs: [],
        pid: nginx.pid,
        speeds: [],
        cpu: 0,
      },
      {
        label: 'companion `/index.php/s/TOKEN/download`',
        url: `${node.url}/index.php/s/${token}/download`,
        curlArgs: [],
        pid: node.pid,
        speeds: [],
        cpu: 0,
      },
      {
        label: 'companion `/public.php/webdav/` (Basic TOKEN:)',
        url: `${node.url}/public.php/webdav/`,
        curlArgs: ['-u', `${token}:`],
        pid: node.pid,
        speeds: [],
        cpu: 0,
      },
    ];
    for (const target of targets) await download(target); // warm-up: page cache, JIT, connections
    const idleRss = rssSampler(node.pid).stop();
    const sampler = rssSampler(node.pid, 10);
    const deadline = Date.now() + TIME_LIMIT_MS;
    for (let round = 0; round < ROUNDS && Date.now() < deadline; round++) {
      for (let i = 0; i < targets.length; i++) {
        const target = targets[(round + i) % targets.length] as Target;
        const cpuBefore = cpuSeconds(target.pid);
        target.speeds.push(await download(target));
        target.cpu += cpuSeconds(target.pid) - cpuBefore;
      }
    }
    const peakRss = sampler.stop();

    const nginxTargets = targets.slice(0, 2);
    const stock = median(targets[0]?.speeds ?? []);
    const best = Math.max(...nginxTargets.map((t) => median(t.speeds)));
    const rows = targets.map((t) => {
      const m = median(t.speeds);
      const isNginx = nginxTargets.includes(t);
      return [
        t.label,
        (m / 1e6).toFixed(0),
        (Math.min(...t.speeds) / 1e6).toFixed(0),
        (Math.max(...t.speeds) / 1e6).toFixed(0),
        ((t.cpu / t.speeds.length) * 1000).toFixed(0),
        (m / stock).toFixed(2),
        isNginx ? (m / best).toFixed(2) : `${(m / best).toFixed(2)} ${verdict(m / best >= GOAL)}`,
      ];
    });
    return [
      '## Companion server: 100 MiB download through a public link vs nginx',
      '',
      machineLine([nginx.version, `curl ${curlVersion}`]),
      '',
      table(
        [
          'server and route',
          'MB/s (median)',
          'min',
          'max',
          'server CPU ms per download',
          'ratio to nginx defaults',
          `ratio to the faster nginx (goal ≥ ${GOAL})`,
        ],
        rows,
        ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
      `Companion RSS: ${mib(idleRss)} before the downloads, ${mib(peakRss)} at most while they ran (sampled every 10 ms).`,
      '',
      `How: one companion node (\`cli.ts serve\`, default log level, log to a file) and nginx (generated config, \`daemon off\`,` +
        ` \`master_process off\`, \`sendfile on\`, access log on) serve the same ${SIZE} byte random file from the same temp dir on` +
        ` the same disk, over 127.0.0.1. The link is created through the OCS API (shareType 3, permissions 1). After one warm-up` +
        ` download per route (file in the page cache), ${targets[0]?.speeds.length ?? 0} rounds download once per route, in rotating order;` +
        ` \`curl -o /dev/null\` is the client for all of them and MB/s = ${SIZE} bytes / curl's time_total / 10⁶.` +
        " nginx runs twice over the same file: with Debian's defaults (sendfile) and with buffered reads (sendfile off," +
        ' `output_buffers 2 1m`, often faster on loopback); the goal is checked against the faster of the two medians.' +
        " Server CPU is user+system time from /proc/PID/stat around each download. Client and servers share the machine's cores.",
    ].join('\n');
  } finally {
    await nginx?.stop();
    await node?.stop();
  }
}
