import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { startNode, type TestNode } from './helpers/node';
import { call, ocs } from './helpers/http';
import { createServer } from '../../lib/server/app';
import { defaultConfig } from '../../lib/server/config';
import { SqliteStore } from '../../lib/server/store/sqlite';

// GET /health for load balancers, and the request id every answer and every log line of a request carries.

describe('health endpoint and request ids', () => {
  let plain: TestNode;
  let proxied: TestNode;
  const password = 'health-secret-pw-71';
  beforeAll(async () => {
    plain = await startNode({ users: [{ name: 'alice', password }], files: { alice: { 'doc.txt': 'hello' } } });
    proxied = await startNode({ args: ['--trusted-proxy', '127.0.0.1'] });
  });
  afterAll(async () => {
    await plain.stop();
    await proxied.stop();
  });

  it('answers 200 {"status":"ok"} without a login, not cached', async () => {
    const response = await call(`${plain.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
  });

  it('answers 503 when the database does not answer', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atc-health-'));
    const store = new SqliteStore(path.join(dir, 'server.db'));
    const { server } = createServer(
      defaultConfig({ dataDir: dir, publicUrl: 'http://127.0.0.1:1' }),
      store,
      pino({ level: 'silent' }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await call(`${url}/health`)).status).toBe(200);
      await store.close(); // what a lost database file system looks like to the node: every query throws
      const response = await call(`${url}/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends a new X-Request-Id and ignores one from an untrusted client', async () => {
    const a = await call(`${plain.url}/status.php`);
    const b = await call(`${plain.url}/status.php`, 'GET', { headers: { 'X-Request-Id': 'forged-id-1' } });
    expect(a.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it("takes a trusted proxy's X-Request-Id, unless it could break a log line", async () => {
    const passed = await call(`${proxied.url}/status.php`, 'GET', { headers: { 'X-Request-Id': 'edge-7f3a.1' } });
    expect(passed.headers.get('x-request-id')).toBe('edge-7f3a.1');
    const odd = await call(`${proxied.url}/status.php`, 'GET', { headers: { 'X-Request-Id': 'a b"c' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs JSON lines with the request id on every line of a request, and no secret', async () => {
    const created = await ocs(`${plain.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
      auth: ['alice', password],
      form: { path: '/doc.txt', shareType: '3', password: 'link-secret-pw-93' },
    });
    expect(created.status).toBe(200);
    const token = (created.body.ocs.data as { token: string }).token;
    const page = await call(`${plain.url}/s/${token}`);
    const reqId = page.headers.get('x-request-id');
    await new Promise((r) => setTimeout(r, 200)); // pino writes asynchronously
    const lines = plain
      .logs()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const ofRequest = lines.filter((line) => line.reqId === reqId);
    expect(
      ofRequest.some((line) => line.msg === 'request' && line.status === page.status && line.path === '/s/[token]'),
    ).toBe(true);
    const text = plain.logs();
    for (const secret of [token, password, 'link-secret-pw-93', Buffer.from(`alice:${password}`).toString('base64')]) {
      expect(text).not.toContain(secret);
    }
  });
});
