import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
// @ts-expect-error: a plain .mjs module of the set-up scripts, without types
import { ensureNginx, ensurePostgres } from '../scripts/setup.mjs';

/**
 * Runs the benchmarks and records each one's markdown section in BENCHMARKS.md, between
 * `<!-- bench:NAME -->` markers, so a run updates its own numbers and leaves the others alone.
 * Usage: npm run bench [-- NAME ...]
 */
interface Bench {
  name: string;
  run: () => Promise<string>;
}

const benches: Bench[] = [
  { name: 'content-script', run: async () => (await import('./content-script.bench')).run() },
  // Needs the e2e build: npx wxt build --mode e2e
  { name: 'mount-flow', run: async () => (await import('./mount-flow.bench')).run() },
  // Companion server (bench/server/): nodes and nginx are started and stopped by each benchmark itself.
  { name: 'server-download', run: async () => (await import('./server/download.bench')).run() },
  { name: 'server-propfind', run: async () => (await import('./server/propfind.bench')).run() },
  { name: 'server-links', run: async () => (await import('./server/link-load.bench')).run() },
  // Issue 11: SQLite node vs PostgreSQL node vs two PostgreSQL nodes behind nginx (needs nginx and PostgreSQL).
  { name: 'server-cluster', run: async () => (await import('./server/cluster.bench')).run() },
];

const root = path.resolve(import.meta.dirname, '..');
const file = path.join(root, 'BENCHMARKS.md');
const wanted = process.argv.slice(2);
const selected = wanted.length ? benches.filter((b) => wanted.includes(b.name)) : benches;
if (wanted.length && selected.length !== wanted.length) {
  console.error(`Unknown benchmark. Known: ${benches.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

// The download benchmark measures against Debian's nginx side by side: install it when it is missing.
if (selected.some((bench) => bench.name === 'server-download' || bench.name === 'server-cluster')) ensureNginx();
if (selected.some((bench) => bench.name === 'server-cluster')) ensurePostgres();

let doc = existsSync(file)
  ? readFileSync(file, 'utf8')
  : '# Benchmarks\n\nWritten by `npm run bench`; each section comes from the latest run of that benchmark.\n';
for (const bench of selected) {
  console.log(`\n== ${bench.name}`);
  const section = (await bench.run()).trim();
  console.log(section);
  const start = `<!-- bench:${bench.name} -->`;
  const end = `<!-- /bench:${bench.name} -->`;
  const block = `${start}\n${section}\n${end}`;
  const at = doc.indexOf(start);
  const until = doc.indexOf(end);
  doc =
    at >= 0 && until > at ? doc.slice(0, at) + block + doc.slice(until + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
}
writeFileSync(file, doc.endsWith('\n') ? doc : `${doc}\n`);
console.log(`\nUpdated ${path.relative(process.cwd(), file)}`);
