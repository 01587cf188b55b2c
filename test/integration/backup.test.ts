import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { freePort, ROOT, runCli, startNode, type TestNode } from './helpers/node';
import { call, ocs } from './helpers/http';

// `backup` of a node under write load (uploads and link creations running) and `restore` into a fresh directory:
// the database is consistent, every link acknowledged before the backup began is there, every restored link opens
// and serves its own content (shares re-bound to the restored files' new inodes), and a link that was dead stays dead.

const auth: [string, string] = ['alice', 'alice-pw'];

async function serve(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'lib/server/cli.ts', 'serve', '--port', String(port), '--data', dataDir, '--url', url],
    { cwd: ROOT, stdio: 'ignore' },
  );
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function addLink(node: TestNode, file: string): Promise<string> {
  const { status, body } = await ocs(`${node.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
    auth,
    form: { path: file, shareType: '3' },
  });
  if (status !== 200) throw new Error(`link for ${file}: ${status}`);
  return (body.ocs.data as { token: string }).token;
}

async function upload(node: TestNode, file: string, content: string): Promise<void> {
  const response = await call(`${node.url}/remote.php/webdav${file}`, 'PUT', { auth, body: content });
  if (response.status !== 201 && response.status !== 204) throw new Error(`upload ${file}: ${response.status}`);
}

describe('backup and restore', () => {
  const dirs: string[] = [];
  const temp = (name: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), `atc-${name}-`));
    dirs.push(dir);
    return dir;
  };
  let node: TestNode | undefined;
  afterAll(async () => {
    await node?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up under write load and restores to a consistent state where every link serves its content', async () => {
    node = await startNode({
      users: [{ name: 'alice', password: 'alice-pw' }],
      files: { alice: { 'docs/a.txt': 'folder content a', 'keep.txt': 'kept before', 'gone.txt': 'the old one' } },
    });
    const expected = new Map<string, { content: string; file?: string }>(); // token -> what /download serves
    const folderToken = await addLink(node, '/docs');
    expected.set(folderToken, { content: 'folder content a', file: 'a.txt' });
    expected.set(await addLink(node, '/keep.txt'), { content: 'kept before' });
    // A link whose item was replaced is dead (a new file under the old name is another item): a restore must not revive
    // it. (Deleting through WebDAV would delete the link too; replacing the file on disk leaves the link's row behind.)
    const deadToken = await addLink(node, '/gone.txt');
    unlinkSync(path.join(node.filesOf('alice'), 'gone.txt'));
    writeFileSync(path.join(node.filesOf('alice'), 'gone.txt'), 'a new file under the old name');
    expect((await call(`${node.url}/s/${deadToken}/download`)).status).toBe(404);

    // Write load: two workers upload a file and create a link for it, again and again.
    const acked: { token: string; content: string; at: number }[] = [];
    let running = true;
    let counter = 0;
    const worker = async () => {
      while (running) {
        const i = counter++;
        const content = `load file ${i} `.repeat(1 + (i % 50));
        await upload(node!, `/load-${i}.txt`, content);
        const token = await addLink(node!, `/load-${i}.txt`);
        acked.push({ token, content, at: Date.now() });
      }
    };
    const workers = [worker(), worker()];
    while (acked.length < 10) await new Promise((r) => setTimeout(r, 20));

    const backupDir = path.join(temp('backup'), 'b');
    const backupStarted = Date.now();
    const backup = await runCli(['backup', backupDir, '--data', node.dataDir]);
    const backupEnded = Date.now();
    running = false;
    await Promise.all(workers);
    expect(backup.stderr).toBe('');
    expect(backup.stdout).toMatch(/backup written to .*shared item/);
    expect(backup.code).toBe(0);
    expect(acked.filter((link) => link.at > backupStarted && link.at < backupEnded).length).toBeGreaterThan(0); // under load
    for (const link of acked) expected.set(link.token, { content: link.content });

    const restoredDir = path.join(temp('restored'), 'data');
    const restore = await runCli(['restore', backupDir, '--data', restoredDir]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('database integrity: ok');
    expect(statSync(restoredDir).mode & 0o077).toBe(0);
    expect(statSync(path.join(restoredDir, 'ocm-signing-key.pem')).mode & 0o777).toBe(0o600);

    // Identical: the restored database holds exactly the backup's accounts and links (only item keys are new).
    const rows = (file: string) => {
      const db = new Database(file, { readonly: true });
      const result = {
        integrity: db.pragma('integrity_check', { simple: true }),
        users: db.prepare('SELECT uid, password_hash FROM users ORDER BY uid').all(),
        shares: db.prepare('SELECT id, token, owner, path, permissions FROM shares ORDER BY id').all() as {
          token: string;
        }[],
      };
      db.close();
      return result;
    };
    const restored = rows(path.join(restoredDir, 'server.db'));
    expect(restored.integrity).toBe('ok');
    expect(restored).toEqual(rows(path.join(backupDir, 'server.db')));
    const tokens = new Set(restored.shares.map((share) => share.token));
    for (const link of acked.filter((entry) => entry.at < backupStarted)) expect(tokens.has(link.token)).toBe(true);

    await node.stop();
    node = undefined;
    const restoredNode = await serve(restoredDir);
    try {
      for (const token of tokens) {
        const want = expected.get(token);
        if (token === deadToken) continue;
        expect(want, `restored link ${token} was acknowledged`).toBeDefined();
        const query = want?.file ? `?path=/&files=${want.file}` : '';
        const response = await call(`${restoredNode.url}/s/${token}/download${query}`);
        expect(response.status, `link ${token}`).toBe(200);
        expect(await response.text()).toBe(want?.content);
      }
      expect(tokens.has(deadToken)).toBe(true);
      expect((await call(`${restoredNode.url}/s/${deadToken}/download`)).status).toBe(404);
      expect(readFileSync(path.join(restoredDir, 'files/alice/gone.txt'), 'utf8')).toBe(
        'a new file under the old name',
      );
    } finally {
      await restoredNode.stop();
    }
  }, 120_000);

  it('refuses to restore over a node or from an incomplete backup', async () => {
    const dir = temp('refuse');
    const incomplete = await runCli(['restore', dir, '--data', path.join(dir, 'data')]);
    expect(incomplete.code).not.toBe(0);
    expect(incomplete.stderr).toMatch(/not a complete backup/);
    const existing = await startNode({ users: [{ name: 'bob', password: 'pw' }] });
    try {
      const backupDir = path.join(dir, 'b');
      expect((await runCli(['backup', backupDir, '--data', existing.dataDir])).code).toBe(0);
      const over = await runCli(['restore', backupDir, '--data', existing.dataDir]);
      expect(over.code).not.toBe(0);
      expect(over.stderr).toMatch(/already holds a node/);
      const again = await runCli(['backup', backupDir, '--data', existing.dataDir]);
      expect(again.stderr).toMatch(/not empty/);
    } finally {
      await existing.stop();
    }
  });
});
