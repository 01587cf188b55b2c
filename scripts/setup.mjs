// Shared set-up for `npm start` and `npm test` on a fresh Debian machine (run as root): installs the npm
// dependencies when they are missing or stale, and Debian's Chromium when a browser is needed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = '/usr/lib/chromium/chromium';
export const FIREFOX = '/usr/bin/firefox-esr';

export function log(message) {
  process.stdout.write(`\n[add-to-cloud] ${message}\n`);
}

/** Runs a command in the project folder, inheriting the terminal; returns true when it exited 0. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  return result.status === 0;
}

export function ensureNodeModules() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  log('Installing npm dependencies (npm ci)…');
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) throw new Error('npm ci failed');
}

export function aptInstall(packages) {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing Debian packages (${packages.join(', ')}). Run as root, or: sudo apt-get install ${packages.join(' ')}`,
    );
  }
  log(`Installing Debian packages: ${packages.join(' ')}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!run('apt-get', ['update', '-qq'], { env })) throw new Error('apt-get update failed');
  if (!run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env })) {
    throw new Error(`apt-get install ${packages.join(' ')} failed`);
  }
}

/**
 * Debian's packages for the browser tests, in one apt run for whatever is missing: Chromium, Firefox ESR, and a
 * virtual display with a window manager, xdotool and xclip for the Firefox steps no automation protocol may touch.
 */
const BROWSER_PACKAGES = [
  [CHROMIUM, ['chromium', 'fonts-liberation']],
  [FIREFOX, ['firefox-esr']],
  ['/usr/bin/Xvfb', ['xvfb']],
  ['/usr/bin/xdotool', ['xdotool']],
  ['/usr/bin/matchbox-window-manager', ['matchbox-window-manager']],
  ['/usr/bin/xclip', ['xclip']],
];

export function ensureBrowsers() {
  const missing = BROWSER_PACKAGES.filter(([binary]) => !existsSync(binary)).flatMap(([, packages]) => packages);
  if (missing.length) aptInstall(missing);
  for (const [binary] of BROWSER_PACKAGES) {
    if (!existsSync(binary)) throw new Error(`The browser packages were installed but ${binary} is missing`);
  }
}

/** Debian's nginx: the download benchmark's side-by-side baseline (npm run bench) and the cluster's load balancer. */
export function ensureNginx() {
  if (!existsSync('/usr/sbin/nginx')) aptInstall(['nginx-light']);
}

/**
 * Debian's PostgreSQL for the tests of the PostgreSQL store and the cluster tests, benchmarks and `npm run cluster`
 * (test/integration/helpers/postgres.ts makes throwaway clusters with its initdb/pg_ctl). Only the binaries are needed:
 * the system service Debian would start is not used, so a policy-rc.d keeps apt from starting it.
 */
export function ensurePostgres() {
  const root = '/usr/lib/postgresql';
  const installed = () =>
    existsSync(root) && readdirSync(root).some((version) => existsSync(path.join(root, version, 'bin', 'initdb')));
  if (installed()) return;
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = process.getuid?.() === 0 && !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    aptInstall(['postgresql']);
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
  if (!installed()) throw new Error(`postgresql was installed but no ${root}/*/bin/initdb is there`);
}
