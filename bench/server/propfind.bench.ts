import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cpuSeconds, machineLine, median, mib, percentile, rssSampler, table, verdict } from './common';
import { basicAuth, startNode, USER, type BenchNode } from './node';

/**
 * PROPFIND on a folder of 10,000 entries, the way the ownCloud desktop client and our own mounts list folders.
 * Besides the asked-for Depth 1 on the folder, two related requests are timed because they cost the same listing work:
 * Depth 0 on that folder (its size is the sum of its children) and Depth 1 on its parent (the folder's size again).
 * Depth-1 answers are streamed, so the server's memory must not grow with the folder: folders of 1,000 and 50,000
 * entries (another account's, so alice's folders stay as they were) are listed too, smallest first, and the peak RSS
 * of each case is compared.
 */

const ENTRIES = 10_000;
const FEW_ENTRIES = 1_000;
const MANY_ENTRIES = 50_000;
const RUNS = 25;
const RUNS_MANY = 5; // each answer is ~27 MB; five are enough to see the RSS and keep the benchmark under a minute
const BUDGET_MS = 1000; // Depth 1 p99: files/tree.ts states "a folder of 10,000 entries must list in well under a second"
const GOAL_P50_MS = 70; // issue 8: "PROPFIND depth 1 on 10,000 entries now streams — p50 ≤ 70 ms" (ownCloud 10 here: ~640 ms)
const TIME_LIMIT_MS = 60_000;
const OTHER_USER = 'bob';

const BODY = `<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop><d:resourcetype/><d:getlastmodified/>
<d:getcontentlength/><d:getetag/><d:getcontenttype/><oc:id/><oc:fileid/><oc:permissions/><oc:size/></d:prop></d:propfind>`;

interface Case {
  label: string;
  user: string;
  path: string;
  depth: '0' | '1';
  expect: number;
  runs: number;
}

function fill(dir: string, count: number): void {
  mkdirSync(dir);
  for (let i = 0; i < count; i++) {
    writeFileSync(
      path.join(dir, `document-${String(i).padStart(5, '0')}${i % 10 === 0 ? ' with spaces & ümlauts' : ''}.txt`),
      `entry ${i}\n`.repeat(1 + (i % 7)),
    );
  }
}

function populate(files: string): void {
  fill(path.join(files, 'many'), ENTRIES);
  writeFileSync(path.join(files, 'readme.txt'), 'hello\n');
  const other = path.join(files, '..', OTHER_USER);
  fill(path.join(other, 'some'), FEW_ENTRIES);
  fill(path.join(other, 'lots'), MANY_ENTRIES);
}

async function propfind(node: BenchNode, c: Case): Promise<{ ms: number; bytes: number; responses: number }> {
  const started = performance.now();
  const response = await fetch(`${node.url}/remote.php/dav/files/${c.user}${c.path}`, {
    method: 'PROPFIND',
    headers: { Authorization: basicAuth(c.user), Depth: c.depth, 'Content-Type': 'application/xml; charset=utf-8' },
    body: BODY,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 207) throw new Error(`PROPFIND ${c.path} answered ${response.status}: ${text.slice(0, 200)}`);
  const responses = text.split('<d:response>').length - 1;
  if (responses !== c.expect) throw new Error(`PROPFIND ${c.path} listed ${responses} entries, expected ${c.expect}`);
  return { ms, bytes: Buffer.byteLength(text), responses };
}

export async function run(): Promise<string> {
  let node: BenchNode | undefined;
  try {
    node = await startNode(populate, [OTHER_USER]);
    const files = (n: number) => `${n.toLocaleString('en')} files`;
    const small: Case = {
      label: `Depth 1 on ${OTHER_USER}'s \`/some/\` (${files(FEW_ENTRIES)})`,
      user: OTHER_USER,
      path: '/some/',
      depth: '1',
      expect: FEW_ENTRIES + 1,
      runs: RUNS,
    };
    const big: Case = {
      label: `Depth 1 on \`/many/\` (${files(ENTRIES)})`,
      user: USER,
      path: '/many/',
      depth: '1',
      expect: ENTRIES + 1,
      runs: RUNS,
    };
    const huge: Case = {
      label: `Depth 1 on ${OTHER_USER}'s \`/lots/\` (${files(MANY_ENTRIES)})`,
      user: OTHER_USER,
      path: '/lots/',
      depth: '1',
      expect: MANY_ENTRIES + 1,
      runs: RUNS_MANY,
    };
    // Smallest folder first: RSS only grows (V8 keeps its heap), so each case's peak shows what that size added.
    const cases: Case[] = [
      small,
      big,
      huge,
      { label: 'Depth 0 on `/many/`', user: USER, path: '/many/', depth: '0', expect: 1, runs: RUNS },
      { label: 'Depth 1 on `/` (its parent: 2 entries)', user: USER, path: '/', depth: '1', expect: 3, runs: RUNS },
    ];
    const deadline = Date.now() + TIME_LIMIT_MS;
    const rows: string[][] = [];
    let headline = { p50: 0, p99: 0 };
    const growth = new Map<Case, number>();
    const idleRss = rssSampler(node.pid).stop();
    let peakRss = idleRss;
    for (const c of cases) {
      const sampler = rssSampler(node.pid, 10);
      await propfind(node, c); // warm-up: dentry/inode cache, JIT
      await propfind(node, c);
      const times: number[] = [];
      let bytes = 0;
      const cpuBefore = cpuSeconds(node.pid);
      for (let i = 0; i < c.runs && Date.now() < deadline; i++) {
        const result = await propfind(node, c);
        times.push(result.ms);
        bytes = result.bytes;
      }
      const cpuMs = ((cpuSeconds(node.pid) - cpuBefore) / times.length) * 1000;
      const casePeak = sampler.stop();
      peakRss = Math.max(peakRss, casePeak);
      growth.set(c, casePeak - idleRss);
      const p50 = median(times);
      const p99 = percentile(times, 99);
      if (c === big) headline = { p50, p99 };
      rows.push([
        c.label,
        String(times.length),
        p50.toFixed(1),
        p99.toFixed(1),
        cpuMs.toFixed(0),
        bytes.toLocaleString('en'),
        `${(bytes / 1024 / 1024).toFixed(2)} MiB`,
        `+${mib(casePeak - idleRss)}`,
      ]);
    }
    return [
      '## Companion server: PROPFIND on a folder of 10,000 entries',
      '',
      machineLine(),
      '',
      table(
        [
          'request',
          'runs',
          'median ms',
          'p99 ms',
          'server CPU ms per request',
          'response bytes',
          'response size',
          'peak RSS over idle',
        ],
        rows,
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
      `Depth 1 on the 10,000-entry folder: median ${headline.p50.toFixed(0)} ms, p99 ${headline.p99.toFixed(0)} ms — goal p50 ≤ ${GOAL_P50_MS} ms: ${verdict(headline.p50 <= GOAL_P50_MS)}; budget p99 ≤ ${BUDGET_MS} ms: ${verdict(headline.p99 <= BUDGET_MS)}.`,
      `Companion RSS: ${mib(idleRss)} before, ${mib(peakRss)} at most during these requests (sampled every 10 ms); peak growth while listing` +
        ` ${FEW_ENTRIES.toLocaleString('en')} entries +${mib(growth.get(small) ?? 0)}, ${ENTRIES.toLocaleString('en')} entries` +
        ` +${mib(growth.get(big) ?? 0)}, ${MANY_ENTRIES.toLocaleString('en')} entries +${mib(growth.get(huge) ?? 0)}.`,
      '',
      `How: one companion node (\`cli.ts serve\`) with ${ENTRIES.toLocaleString('en')} small files (every tenth with spaces and` +
        ` non-ASCII in its name, so hrefs need escaping) in alice's \`/many/\`, and ${FEW_ENTRIES.toLocaleString('en')} and` +
        ` ${MANY_ENTRIES.toLocaleString('en')} such files in ${OTHER_USER}'s \`/some/\` and \`/lots/\`. Each request is a \`PROPFIND\`` +
        ' to `/remote.php/dav/files/USER/…` with Basic auth and the property list the ownCloud client asks for, over' +
        " 127.0.0.1 with Node's fetch (keep-alive), timed until the whole body is read. Two warm-up requests per case, then" +
        ` ${RUNS} sequential runs (${RUNS_MANY} for ${MANY_ENTRIES.toLocaleString('en')} entries; p99 of ${RUNS} runs is their` +
        ' slowest). Server CPU is user+system time from /proc/PID/stat; RSS is VmRSS from /proc/PID/status, its peak per' +
        " case taken over the warm-up and the runs. Peak RSS includes the garbage collector's headroom, which any sustained" +
        ' load fills (tens of MiB); streaming shows as the growth levelling off between 10,000 and 50,000 entries.',
    ].join('\n');
  } finally {
    await node?.stop();
  }
}
