import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, ROOT } from './helpers/node';
import { basic } from './helpers/http';
import { SqliteStore } from '../../lib/server/store/sqlite';
import { hashPassword } from '../../lib/server/secrets';

// SIGTERM: no new connections, requests in flight finish (here a slow upload), then exit 0 with nothing half-written.

describe('graceful shutdown', () => {
  let dataDir = '';
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lets a slow upload finish with 201 after SIGTERM and exits 0', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'atc-shutdown-'));
    const store = new SqliteStore(path.join(dataDir, 'server.db'));
    await store.addUser({ uid: 'alice', displayName: 'alice', passwordHash: hashPassword('pw') });
    await store.close();
    mkdirSync(path.join(dataDir, 'files', 'alice'), { recursive: true });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', 'lib/server/cli.ts', 'serve', '--port', String(port), '--data', dataDir, '--url', url],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let logs = '';
    child.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    for (let i = 0; i < 200 && !logs.includes('"listening"'); i++) await new Promise((r) => setTimeout(r, 100));

    const chunks = Array.from({ length: 10 }, (_, i) => Buffer.alloc(1000, 97 + i));
    const upload = new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${url}/remote.php/webdav/slow.bin`,
        {
          method: 'PUT',
          headers: { Authorization: basic('alice', 'pw'), 'Content-Length': String(10_000) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      let i = 0;
      const next = () => {
        const chunk = chunks[i++];
        if (!chunk) return void req.end();
        req.write(chunk);
        if (i === 2) child.kill('SIGTERM'); // mid-upload
        setTimeout(next, 150);
      };
      next();
    });

    await new Promise((r) => setTimeout(r, 600)); // SIGTERM has been sent and handled by now
    const refused = await fetch(`${url}/status.php`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).toBe('refused');
    expect(await upload).toBe(201);
    expect(await exited).toBe(0);
    expect(readFileSync(path.join(dataDir, 'files', 'alice', 'slow.bin'))).toEqual(Buffer.concat(chunks));
    // No temp file left behind in the upload area (uploads/NODE/alice).
    expect(
      readdirSync(path.join(dataDir, 'uploads'), { recursive: true }).filter((name) =>
        String(name).includes('.upload-'),
      ),
    ).toEqual([]);
    expect(logs).toContain('"event":"stopped"');
  }, 30_000);
});
