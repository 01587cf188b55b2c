// `npm test`: set-up, then typecheck, lint, builds, and every vitest project; ends with the totals line
// "N passed, N failed" that CI reads. Each check step counts as one test in those totals.
//
// The machine it must fit on has 2 cores, so the work runs in three lanes at once instead of one after the other:
//   checks:      typecheck, eslint, formatting, the import graph
//   builds:      the release zips, the e2e build, web-ext lint; then the vitest projects that need them (unit reads
//                the zips, browser loads the e2e build) — one Chromium at a time, as before
//   integration: the vitest integration project, two files at a time (real server processes; mostly waiting)
// Each step's output is printed in one piece when the step ends, so concurrent steps do not interleave.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBrowsers, ensureNginx, ensureNodeModules, ensurePostgres, log, root, run } from './setup.mjs';

const started = Date.now();
ensureNodeModules();
ensureBrowsers();
ensureNginx(); // the load balancer of the cluster tests (test/integration/*.cluster.test.ts)
ensurePostgres(); // their database

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const seconds = (since) => `${Math.round((Date.now() - since) / 1000)} s`;

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

/** Runs one step with its output captured; prints it when the step ends. Resolves to true when it exited 0. */
function step(name, command, args) {
  const begun = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '1' },
    });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code) => {
      log(`${name} (${seconds(begun)}, ${code === 0 ? 'ok' : `exit ${code}`})`);
      process.stdout.write(Buffer.concat(output));
      resolve(code === 0);
    });
  });
}

/** A check step counts as one test. */
async function check(name, command, args) {
  if (await step(name, command, args)) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

// The JSON reports go to a temp dir: the builds rewrite .output while the integration tests run.
const reports = mkdtempSync(path.join(tmpdir(), 'atc-vitest-reports-'));

/** Runs vitest projects with a JSON report and adds their results to the totals. */
async function vitest(label, projects, extraArgs = []) {
  const report = path.join(reports, `${label}.json`);
  const projectArgs = projects.flatMap((project) => ['--project', project]);
  await step(`vitest ${projects.join(' + ')}`, bin('vitest'), [
    'run',
    ...projectArgs,
    ...extraArgs,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  try {
    const result = JSON.parse(readFileSync(report, 'utf8'));
    passed += result.numPassedTests;
    failed += result.numFailedTests;
    skipped += result.numPendingTests + result.numTodoTests;
    // A suite that fails outside its tests (it does not load, or a beforeAll throws and its tests are skipped) has no
    // failed test but must still fail the run.
    const brokenSuites = result.testResults.filter(
      (suite) => suite.status === 'failed' && !suite.assertionResults.some((test) => test.status === 'failed'),
    );
    for (const suite of brokenSuites)
      failures.push(`suite ${path.relative(root, suite.name)}: ${suite.message.split('\n')[0]}`);
    failed += brokenSuites.length;
    if (result.numFailedTests > 0) failures.push(`${result.numFailedTests} vitest ${label} test(s)`);
  } catch (error) {
    failed++;
    failures.push(`vitest ${label} produced no report (${error.message})`);
  }
}

// Regenerates .wxt (typed i18n keys from public/_locales, auto-imports) so the typecheck sees the current tree; the
// builds then find it up to date and leave it alone (wxt writes only files whose content changed).
log('wxt prepare…');
if (run(bin('wxt'), ['prepare'])) passed++;
else {
  failed++;
  failures.push('wxt prepare');
}

log('typecheck, eslint, builds and the vitest projects, in three lanes…');
await Promise.all([
  (async () => {
    await check('typecheck', bin('tsc'), ['--noEmit']);
    await check('eslint', bin('eslint'), ['--max-warnings=0', '.']);
    // One formatting (.prettierrc.json); `npm run format` applies it.
    await check('formatting', bin('prettier'), ['--check', '--log-level=warn', '.']);
    // The layers of the import graph (.dependency-cruiser.js): no cycles, lib/ below the UI, pure detection, the
    // companion server apart from the extension. The same as `npm run graph`.
    await check('import graph', bin('depcruise'), [
      'lib',
      'components',
      'entrypoints',
      '--config',
      '.dependency-cruiser.js',
    ]);
  })(),
  (async () => {
    // The release builds, zipped as the stores get them (`npm run zip`; test/unit/release reads the zips).
    await check('build + zip chrome-mv3', bin('wxt'), ['zip']);
    await check('build + zip firefox-mv2 and sources', bin('wxt'), ['zip', '-b', 'firefox']);
    await check('build chrome-mv3 (e2e)', bin('wxt'), ['build', '--mode', 'e2e']);
    await check('web-ext lint (firefox)', bin('web-ext'), ['lint', '--source-dir', '.output/firefox-mv2']);
    await vitest('unit-browser', ['unit', 'browser']);
  })(),
  // Two test files at a time (vitest's default on 2 cores is one): most of their time is spent waiting on the server
  // processes they start, and the npm package test alone compiles better-sqlite3 for two minutes. Measured on this
  // machine: the project in 2 min 15 s with two workers, 7 min with one (at a higher machine load).
  vitest('integration', ['integration'], ['--maxWorkers=2']),
]);

rmSync(reports, { recursive: true, force: true });
log(`done in ${seconds(started)}${failures.length ? `; failed: ${failures.join('; ')}` : ''}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
