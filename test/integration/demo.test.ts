import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, ROOT } from './helpers/node';
import { call, ocs } from './helpers/http';

// `add-to-cloud-server demo`: the two nodes `npm start` runs, alice seeded with files and links, bob empty.

let child: ChildProcess | undefined;
const dir = mkdtempSync(path.join(tmpdir(), 'atc-demo-'));
afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child?.once('exit', resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('demo command', () => {
  it('starts alice with shared links and an empty bob that can mount them', async () => {
    const [alicePort, bobPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, ['--import', 'tsx', 'lib/server/cli.ts', 'demo', '--data', dir, '--alice-port', String(alicePort), '--bob-port', String(bobPort)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`demo did not start: ${output}`)), 20_000);
      child?.stdout?.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('links:')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const links = [...output.matchAll(/(http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9]{15})/g)].map((m) => m[1] ?? '');
    expect(links).toHaveLength(3);
    const page = await (await call(links[0] ?? '')).text();
    expect(page).toContain('data-name="Shared Folder"');
    const bob = `http://127.0.0.1:${bobPort}`;
    const token = links[0]?.split('/').at(-1) ?? '';
    const mounted = await call(`${bob}/index.php/apps/files_sharing/external`, 'POST', { auth: ['bob', 'bob-demo-pass'], form: { remote: `http://127.0.0.1:${alicePort}`, token, owner: 'alice', ownerDisplayName: 'Alice', name: 'Shared Folder', password: '' } });
    expect(await mounted.text()).toBe('');
    const remote = await ocs(`${bob}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares`, 'GET', { auth: ['bob', 'bob-demo-pass'] });
    expect(remote.body.ocs.data).toHaveLength(1);
  });
});
