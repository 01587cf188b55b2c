import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startNode, type TestNode } from './helpers/node';
import { call, ocs } from './helpers/http';

let node: TestNode;
const ALICE: [string, string] = ['alice', 'alice-pw'];
const SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/shares';
const big = 'x'.repeat(2 * 1024 * 1024);

beforeAll(async () => {
  node = await startNode({ users: [{ name: 'alice', password: 'alice-pw' }], files: { alice: { 'f.txt': 'file' } } });
});
afterAll(async () => node?.stop());

describe('hostile input', () => {
  it('answers huge bodies with 413', async () => {
    const targets: [string, string][] = [
      [SHARES, 'ocs'],
      ['/index.php/login/v2/poll', 'json'],
      ['/index.php/apps/federatedfilesharing/shares', 'json'],
      ['/index.php/apps/files_sharing/external', 'json'],
      ['/index.php/login', 'html'],
    ];
    for (const [p] of targets) {
      const response = await call(node.url + p, 'POST', {
        auth: ALICE,
        headers: { 'OCS-APIRequest': 'true', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `a=${big}`,
      });
      expect(response.status, p).toBe(413);
    }
    const propfind = await call(`${node.url}/remote.php/webdav/`, 'PROPFIND', { auth: ALICE, body: `<x>${big}</x>` });
    expect(propfind.status).toBe(413);
  });

  it('answers wrong methods with 405 and an Allow header', async () => {
    for (const [method, p] of [
      ['DELETE', '/status.php'],
      ['PUT', '/ocm-provider/'],
      ['GET', '/index.php/login/v2'],
      ['GET', '/index.php/apps/federatedfilesharing/shares'],
      ['PATCH', SHARES],
    ]) {
      const response = await call(node.url + (p ?? ''), method, { auth: ALICE });
      expect(response.status, `${method} ${p}`).toBe(405);
      expect(response.headers.get('allow')).toBeTruthy();
    }
    expect((await call(`${node.url}/remote.php/webdav/f.txt`, 'COPY', { auth: ALICE })).status).toBe(405);
  });

  it('rejects malformed JSON, bogus ids and unknown paths cleanly', async () => {
    const badJson = await call(`${node.url}/index.php/ocm/shares`, 'POST', {
      body: '{"shareWith":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ message: 'Invalid JSON body' });
    const arrayJson = await call(`${node.url}/index.php/ocm/shares`, 'POST', { json: [1, 2] });
    expect(arrayJson.status).toBe(400);
    expect((await ocs(`${node.url}${SHARES}/not-a-number`, 'GET', { auth: ALICE })).status).toBe(404);
    expect((await ocs(`${node.url}${SHARES}/99999999999999999999`, 'DELETE', { auth: ALICE })).status).toBe(404);
    expect(
      (await ocs(`${node.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending/abc`, 'POST', { auth: ALICE }))
        .status,
    ).toBe(404);
    expect((await call(`${node.url}/s/${'A'.repeat(500)}`)).status).toBe(404);
    expect((await call(`${node.url}/s/%ZZ`)).status).toBeGreaterThanOrEqual(400);
    expect((await call(`${node.url}/no/such/thing`)).status).toBe(404);
    expect(
      (await call(`${node.url}/public.php/webdav/`, 'PROPFIND', { headers: { Authorization: 'Basic !!!' } })).status,
    ).toBe(401);
    expect(
      (await ocs(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { headers: { Authorization: 'Bearer abc' } })).status,
    ).toBe(401);
    expect((await ocs(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { auth: ['nobody', 'x'] })).status).toBe(401);
    expect((await call(`${node.url}/index.php/login/v2/poll`, 'POST', { form: { token: 'bogus' } })).status).toBe(404);
    // Still alive after all of it.
    expect((await call(`${node.url}/status.php`)).status).toBe(200);
  });

  it('throttles createFederatedShare guessing', async () => {
    const endpoint = `${node.url}/index.php/apps/federatedfilesharing/createFederatedShare`;
    for (let i = 0; i < 5; i++) {
      const response = await call(endpoint, 'POST', {
        form: { shareWith: 'bob@example.org', token: `guess${i}Guess${i}xx` },
      });
      expect(response.status).toBe(400);
    }
    const blocked = await call(endpoint, 'POST', { form: { shareWith: 'bob@example.org', token: 'guess9Guess9xx' } });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('escapes hostile names in pages and XML', async () => {
    const name = '<img src=x onerror=alert(1)>&"\'.txt';
    expect(
      (await call(`${node.url}/remote.php/webdav/${encodeURIComponent(name)}`, 'PUT', { auth: ALICE, body: 'x' }))
        .status,
    ).toBe(201);
    const created = await ocs(node.url + SHARES, 'POST', { auth: ALICE, form: { path: `/${name}`, shareType: '3' } });
    const token = (created.body.ocs.data as { token: string }).token;
    const page = await (await call(`${node.url}/s/${token}`)).text();
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;.txt');
    const xml = await (
      await call(`${node.url}/remote.php/webdav/`, 'PROPFIND', { auth: ALICE, headers: { Depth: '1' } })
    ).text();
    expect(xml).not.toContain('<img');
    expect(xml).toContain('%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%26%22&#39;.txt');
  });
});

describe('logs', () => {
  it('never contain passwords, share tokens or Authorization headers', async () => {
    const created = await ocs(node.url + SHARES, 'POST', {
      auth: ALICE,
      form: { path: '/f.txt', shareType: '3', password: 'pw-in-logs-check' },
    });
    const token = (created.body.ocs.data as { token: string }).token;
    await call(`${node.url}/s/${token}`);
    await call(`${node.url}/index.php/s/${token}/download`);
    await call(`${node.url}/public.php/webdav/`, 'PROPFIND', { auth: [token, 'wrong-guess-pw'] });
    await call(`${node.url}/index.php/apps/files_sharing/shareinfo?t=${token}`, 'POST', {
      form: { password: 'pw-in-logs-check' },
    });
    // A client that mistakenly sends link credentials to the user WebDAV endpoint.
    await call(`${node.url}/remote.php/webdav/`, 'PROPFIND', { auth: [token, 'pw-in-logs-check'] });
    const logs = node.logs();
    expect(logs).toContain('"path":"/s/[token]"');
    for (const secret of [
      token,
      'pw-in-logs-check',
      'wrong-guess-pw',
      'alice-pw',
      Buffer.from('alice:alice-pw').toString('base64'),
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});

describe('durability', () => {
  it('keeps every acknowledged write across kill -9', async () => {
    const tokens: string[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        expect(
          (await call(`${node.url}/remote.php/webdav/durable-${i}.txt`, 'PUT', { auth: ALICE, body: `content ${i}` }))
            .status,
        ).toBe(201);
      }),
    );
    for (let i = 0; i < 20; i++) {
      const created = await ocs(node.url + SHARES, 'POST', {
        auth: ALICE,
        form: { path: `/durable-${i}.txt`, shareType: '3' },
      });
      tokens.push((created.body.ocs.data as { token: string }).token);
    }
    await node.kill9();
    const db = new Database(path.join(node.dataDir, 'server.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    await node.restart();
    for (let i = 0; i < 20; i++) {
      expect(await (await call(`${node.url}/remote.php/webdav/durable-${i}.txt`, 'GET', { auth: ALICE })).text()).toBe(
        `content ${i}`,
      );
      expect((await call(`${node.url}/s/${tokens[i]}`)).status).toBe(200);
    }
  });
});
