// `npm test`: set-up, then typecheck, lint, builds, and every vitest project; ends with the totals line
// "N passed, N failed" that CI reads. Each check step counts as one test in those totals.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureBrowsers, ensureNodeModules, ensurePostgres, log, root, run } from './setup.mjs';

const started = Date.now();
ensureNodeModules();
ensureBrowsers();
ensurePostgres();

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const steps = [
  // Regenerates .wxt (typed i18n keys from public/_locales, auto-imports) so the typecheck sees the current tree.
  ['wxt prepare', bin('wxt'), ['prepare']],
  ['typecheck', bin('tsc'), ['--noEmit']],
  ['eslint', bin('eslint'), ['--max-warnings=0', '.']],
  // The release builds, zipped as the stores get them (`npm run zip`; test/unit/release reads the zips).
  ['build + zip chrome-mv3', bin('wxt'), ['zip']],
  ['build + zip firefox-mv2 and sources', bin('wxt'), ['zip', '-b', 'firefox']],
  ['build chrome-mv3 (e2e)', bin('wxt'), ['build', '--mode', 'e2e']],
  ['web-ext lint (firefox)', bin('web-ext'), ['lint', '--source-dir', '.output/firefox-mv2']],
];

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const [name, command, args] of steps) {
  log(`${name}…`);
  if (run(command, args)) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

const report = path.join(root, '.output', 'vitest-report.json');
rmSync(report, { force: true });
log('vitest (unit, integration, browser)…');
run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
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
  for (const suite of brokenSuites) failures.push(`suite ${path.relative(root, suite.name)}: ${suite.message.split('\n')[0]}`);
  failed += brokenSuites.length;
  if (result.numFailedTests > 0) failures.push(`${result.numFailedTests} vitest test(s)`);
} catch (error) {
  failed++;
  failures.push(`vitest produced no report (${error.message})`);
}

log(`done in ${Math.round((Date.now() - started) / 1000)} s${failures.length ? `; failed: ${failures.join('; ')}` : ''}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
