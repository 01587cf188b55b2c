import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Window } from 'happy-dom';
import { detectSharePage } from '../lib/share/detect';
import { parseShareUrl } from '../lib/share/url';
import { corpus } from '../test/fixtures/pages/corpus';

/**
 * The always-on script's two budgets: its gzipped size (≤ 4 KB, it is downloaded into and parsed on every
 * page) and the time it takes to decide. On a page that cannot be a share the decision is the URL check
 * alone; on share pages it is the URL check plus the DOM reads of detectSharePage.
 */
const root = path.resolve(import.meta.dirname, '..');
const BUDGET_GZIP_BYTES = 4096;

/** Everyday URLs that are not shares: what the script sees most of the time. */
const NON_SHARE_URLS = [
  'https://www.example.com/',
  'https://news.example.org/2026/11/27/a-long-article-title-with-many-words?utm_source=feed&utm_medium=rss',
  'https://github.com/owner/repository/pull/1234/files#diff-0123456789abcdef',
  'https://mail.example.com/mail/u/0/#inbox/FMfcgzQZTsdfghjkl',
  'https://shop.example.net/s/search?q=shoes',
  'https://docs.example.io/en/latest/reference/api.html#section-4',
  'https://video.example.com/watch?v=dQw4w9WgXcQ&t=42s',
  'https://cloud.example.com/index.php/apps/files/?dir=/Documents',
];

function gzipSize(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

function listScripts(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .sort();
}

/** Median of `rounds` timings of `iterations` calls, in nanoseconds per call. */
function timePerCall(fn: () => unknown, iterations: number, rounds = 15): number {
  for (let i = 0; i < iterations; i++) fn(); // warm up the JIT
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export async function run(): Promise<string> {
  const lines: string[] = [];
  lines.push(`## Content script: size and decision time`, '');
  lines.push(
    `Run ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}.`,
    '',
  );

  lines.push('### Gzipped size of every built script', '');
  lines.push('| build | script | raw bytes | gzip -9 bytes | budget |', '| --- | --- | ---: | ---: | --- |');
  let detectorSize = 0;
  for (const target of ['chrome-mv3', 'firefox-mv2']) {
    const dir = path.join(root, '.output', target);
    for (const file of listScripts(dir)) {
      const name = path.relative(dir, file);
      const gz = gzipSize(file);
      const alwaysOn = name === 'detector.js';
      if (alwaysOn && target === 'chrome-mv3') detectorSize = gz;
      const budget = alwaysOn
        ? gz <= BUDGET_GZIP_BYTES
          ? `≤ ${BUDGET_GZIP_BYTES}: **ok**`
          : `≤ ${BUDGET_GZIP_BYTES}: **OVER**`
        : '';
      lines.push(
        `| ${target} | ${alwaysOn ? `**${name}** (always on)` : name} | ${statSync(file).size} | ${gz} | ${budget} |`,
      );
    }
  }
  if (!detectorSize) throw new Error('No .output/chrome-mv3/detector.js: run `npx wxt build` first.');

  const window = new Window();
  const parser = new window.DOMParser();
  const shares = corpus
    .filter((entry) => entry.expected)
    .map((entry) => ({
      entry,
      doc: parser.parseFromString(
        readFileSync(path.join(root, 'test/fixtures/pages', entry.file), 'utf8'),
        'text/html',
      ) as unknown as Document,
    }));

  const nonShare =
    timePerCall(() => {
      for (const url of NON_SHARE_URLS) parseShareUrl(url);
    }, 20_000) / NON_SHARE_URLS.length;

  lines.push('', '### Decision time (median of 15 rounds)', '');
  lines.push(
    "The DOM reads run against happy-dom, which is slower than a browser's DOM: the share-page times are an upper bound.",
    '',
  );
  lines.push('| page | decision | time per decision |', '| --- | --- | ---: |');
  lines.push(
    `| ${NON_SHARE_URLS.length} everyday non-share URLs | URL check only, DOM untouched | ${nonShare.toFixed(0)} ns |`,
  );
  for (const { entry, doc } of shares) {
    const ns = timePerCall(() => {
      if (parseShareUrl(entry.url)) detectSharePage(entry.url, doc);
    }, 2_000);
    lines.push(
      `| ${entry.file} at \`${new URL(entry.url).pathname}\` | URL check + DOM reads | ${(ns / 1000).toFixed(1)} µs |`,
    );
  }
  await window.happyDOM.close();
  lines.push(
    '',
    `Always-on script: **${detectorSize} bytes gzipped** (budget ${BUDGET_GZIP_BYTES}); non-share decision **${nonShare.toFixed(0)} ns**.`,
  );
  return lines.join('\n');
}
