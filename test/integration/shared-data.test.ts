import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { removeStaleUploads, uploadsDir } from '../../lib/server/files/uploads';
import { ROOT, runCli } from './helpers/node';

// Several nodes of a cluster share one data directory (docs/server.md, "Running a cluster"): a node starting or
// restarting must never remove what another node is writing, and every node must sign with the same OCM key.

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'atc-shared-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const silent = pino({ level: 'silent' });

function tempFile(dir: string, node: string, uid: string, name: string, ageMs = 0): string {
  const file = path.join(uploadsDir(dir, node), uid, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, 'part of an upload');
  const then = new Date(Date.now() - ageMs);
  utimesSync(file, then, then);
  return file;
}

describe('upload areas of nodes sharing a data directory', () => {
  it("a starting node removes its own leftovers and other nodes' long-dead temp files, never a live upload of another node", async () => {
    const dir = dataDir();
    const ownLeftover = tempFile(dir, 'host-8201', 'alice', '.upload-p11-1-a');
    const liveElsewhere = tempFile(dir, 'host-8202', 'alice', '.upload-p22-2-b', 60_000); // written to a minute ago
    const deadElsewhere = tempFile(dir, 'host-8203', 'bob', '.upload-p33-3-c', 3_600_000); // untouched for an hour
    await removeStaleUploads({ dataDir: dir, node: 'host-8201', staleMs: 15 * 60_000 }, silent);
    expect(existsSync(ownLeftover)).toBe(false);
    expect(existsSync(liveElsewhere)).toBe(true);
    expect(existsSync(deadElsewhere)).toBe(false);
    // Folders stay (the other node may be creating a file in one right now).
    expect(existsSync(path.dirname(deadElsewhere))).toBe(true);
  });

  it('nodes of one data directory stage uploads in separate areas (the node name)', async () => {
    const { defaultConfig } = await import('../../lib/server/config');
    const one = defaultConfig({ dataDir: '/d', publicUrl: 'http://lb', port: 8201 });
    const two = defaultConfig({ dataDir: '/d', publicUrl: 'http://lb', port: 8202 });
    expect(one.nodeName).not.toBe(two.nodeName);
    expect(uploadsDir('/d', one.nodeName)).not.toBe(uploadsDir('/d', two.nodeName));
    expect(defaultConfig({ dataDir: '/d', publicUrl: 'http://lb', port: 8201, nodeName: 'web-1' }).nodeName).toBe(
      'web-1',
    );
  });

  it('refuses a --node-name that is not a plain folder name', async () => {
    for (const name of ['../elsewhere', 'a/b', '..', '']) {
      const { code, stderr } = await runCli([
        'serve',
        '--data',
        dataDir(),
        '--url',
        'http://127.0.0.1:1',
        '--port',
        '0',
        '--node-name',
        name,
      ]);
      expect(code).not.toBe(0);
      expect(stderr).toContain('--node-name');
    }
  });
});

/** Runs `localSigningKey` in a separate process (as a node does at start) and returns the public key it got. */
function publicKeyFromProcess(dir: string): Promise<string> {
  const script = `import { localSigningKey } from ${JSON.stringify(path.join(ROOT, 'lib/server/federation/keys.ts'))};
    const key = await localSigningKey({ dataDir: ${JSON.stringify(dir)}, publicUrl: 'http://lb.example' });
    process.stdout.write(key.publicKeyPem);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
  });
}

describe('the OCM signing key of a cluster', () => {
  it('is one key for all nodes, also when they make it at the same moment on a fresh data directory', async () => {
    const dir = dataDir();
    const keys = await Promise.all([publicKeyFromProcess(dir), publicKeyFromProcess(dir), publicKeyFromProcess(dir)]);
    expect(keys[0]).toContain('BEGIN PUBLIC KEY');
    expect(new Set(keys).size).toBe(1);
    // No temp file of the losers is left next to it.
    expect(readdirSync(dir)).toEqual(['ocm-signing-key.pem']);
  });
});
