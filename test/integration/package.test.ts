import { afterAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, ROOT } from './helpers/node';

// The companion as operators get it: `npm pack` in the repository, `npm install ./add-to-cloud-*.tgz` in an empty
// directory, `npx add-to-cloud-server …` there — with nothing of the repository (no sources, no tsx) in reach.
// Slow on purpose: npm compiles better-sqlite3 for this Node when no prebuilt binary can be downloaded.

const run = promisify(execFile);
const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error'];

describe('npm package of the companion', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'atc-package-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('packs only the built server, installs in an empty directory and serves', async () => {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir, ...NPM_QUIET], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    expect(packed?.filename).toMatch(/^add-to-cloud-\d+\.\d+\.\d+.*\.tgz$/);
    const files = packed?.files.map((file) => file.path) ?? [];
    expect(files).toContain('dist/server/cli.mjs');
    expect(files).toContain('bin/add-to-cloud-server.mjs');
    expect(
      files.filter((file) => file.endsWith('.ts') || /^(entrypoints|components|test|scripts)\//.test(file)),
    ).toEqual([]);

    const app = path.join(dir, 'app');
    await run('mkdir', ['-p', app]);
    writeFileSync(path.join(app, 'package.json'), '{"private":true}\n');
    await run('npm', ['install', '--prefer-offline', ...NPM_QUIET, path.join(dir, packed?.filename ?? '')], {
      cwd: app,
      maxBuffer: 16 * 1024 * 1024,
    });
    const installed = JSON.parse((await run('npm', ['ls', '--json', '--all'], { cwd: app })).stdout) as {
      dependencies: Record<string, { dependencies?: Record<string, unknown> }>;
    };
    expect(Object.keys(installed.dependencies['add-to-cloud']?.dependencies ?? {})).not.toContain('tsx');

    const data = path.join(app, 'data');
    await run(
      'npx',
      ['--no-install', 'add-to-cloud-server', 'user', 'add', 'alice', '--password', 'pw', '--data', data],
      { cwd: app },
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(
      'npx',
      ['--no-install', 'add-to-cloud-server', 'serve', '--port', String(port), '--data', data, '--url', url],
      { cwd: app, stdio: 'ignore', detached: true },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      let status: Response | undefined;
      for (let i = 0; i < 100 && !status; i++) {
        status = await fetch(`${url}/status.php`).catch(() => undefined);
        if (!status) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status?.status).toBe(200);
      expect(await status?.json()).toMatchObject({ product: 'Add to Cloud companion' });
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const css = await fetch(`${url}/core/css/companion.css`);
      expect(css.status).toBe(200); // files the server reads next to itself came along
      expect((await fetch(`${url}/core/img/favicon.png`)).status).toBe(200);
      const dav = await fetch(`${url}/remote.php/webdav/`, {
        method: 'PROPFIND',
        headers: { Authorization: `Basic ${Buffer.from('alice:pw').toString('base64')}`, Depth: '0' },
      });
      expect(dav.status).toBe(207); // the native SQLite module and the account work
    } finally {
      // npx runs the bin through a shell: stop the whole process group, as a service manager does.
      process.kill(-(child.pid ?? 0), 'SIGTERM');
    }
    await exited;
  }, 420_000);
});
