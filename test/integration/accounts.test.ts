import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli, startNode, type TestNode } from './helpers/node';
import { classifyStatus } from '../../lib/instance/status-php';
import { OWNCLOUD_10_STATUS } from '../fixtures/status-php';
import { call, CookieJar, ocs, requestTokenOf } from './helpers/http';

let node: TestNode;
const ALICE: [string, string] = ['alice', 'alice-pass-1'];

beforeAll(async () => {
  node = await startNode({
    users: [
      { name: 'alice', password: 'alice-pass-1', displayName: 'Alice' },
      { name: 'carol', password: 'carol-pass-1' },
    ],
    args: ['--throttle-failures', '3'],
  });
});
afterAll(async () => node?.stop());

describe('CLI', () => {
  it('prints help for every command', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['user', '--help'], ['user', 'add', '--help']]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: add-to-cloud-server');
    }
  });

  it('runs through the package bin shim', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/add-to-cloud-server.mjs'), 'serve', '--help'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--url <publicUrl>');
  });

  it('adds a user to the store and rejects bad user ids', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atc-cli-'));
    try {
      const ok = await runCli([
        'user',
        'add',
        'dave',
        '--password',
        'pw-dave',
        '--display-name',
        'Dave D',
        '--data',
        dir,
      ]);
      expect(ok.code).toBe(0);
      const bad = await runCli(['user', 'add', '../evil', '--password', 'x', '--data', dir]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/user id/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('status and discovery', () => {
  it('answers status.php shaped like ownCloud 10 with our product name and release, readable from any origin', async () => {
    const response = await call(`${node.url}/status.php`);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = await response.json();
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(classifyStatus(body)).toMatchObject({ ok: true, status: { kind: 'companion', version } });
    expect(body).toEqual({
      ...OWNCLOUD_10_STATUS,
      productname: 'Add to Cloud companion',
      product: 'Add to Cloud companion',
      companionVersion: version,
    });
  });

  it('serves ocm-provider with and without slash and at /.well-known/ocm', async () => {
    for (const p of ['/ocm-provider/', '/ocm-provider', '/.well-known/ocm']) {
      const body = (await (await call(node.url + p)).json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        enabled: true,
        apiVersion: '1.0-proposal1',
        endPoint: `${node.url}/index.php/apps/federatedfilesharing`,
        shareTypes: [{ name: 'file', protocols: { webdav: '/public.php/webdav/' } }],
      });
    }
  });

  it('serves ocs-provider with the federated sharing endpoints', async () => {
    const body = (await (await call(`${node.url}/ocs-provider/`)).json()) as { services: Record<string, unknown> };
    expect(body.services.FEDERATED_SHARING).toEqual({
      version: 1,
      endpoints: { share: '/ocs/v2.php/cloud/shares', webdav: '/public.php/webdav/' },
    });
  });

  it('refuses anonymous capabilities with 401 / 997 like ownCloud', async () => {
    const { status, body } = await ocs(`${node.url}/ocs/v2.php/cloud/capabilities`, 'GET');
    expect(status).toBe(401);
    expect(body.ocs.meta).toEqual({
      status: 'failure',
      statuscode: 997,
      message: 'Unauthorised',
      totalitems: '',
      itemsperpage: '',
    });
  });

  it('serves capabilities as JSON (v1 statuscode 100, v2 200) and XML', async () => {
    const v2 = await ocs(`${node.url}/ocs/v2.php/cloud/capabilities`, 'GET', { auth: ALICE });
    expect(v2.status).toBe(200);
    expect(v2.body.ocs.meta.statuscode).toBe(200);
    const data = v2.body.ocs.data as {
      version: Record<string, unknown>;
      capabilities: { files_sharing: Record<string, unknown> };
    };
    expect(data.version).toMatchObject({ major: 10, minor: 15, micro: 2 });
    expect(data.capabilities.files_sharing.federation).toEqual({ outgoing: true, incoming: true });
    expect(data.capabilities.files_sharing.public).toMatchObject({
      enabled: true,
      password: { enforced: false },
      expire_date: { enabled: false },
    });
    const v1 = await ocs(`${node.url}/ocs/v1.php/cloud/capabilities`, 'GET', { auth: ALICE });
    expect(v1.body.ocs.meta.statuscode).toBe(100);
    const xml = await (await call(`${node.url}/ocs/v1.php/cloud/capabilities`, 'GET', { auth: ALICE })).text();
    expect(
      xml.startsWith('<?xml version="1.0"?>\n<ocs>\n <meta>\n  <status>ok</status>\n  <statuscode>100</statuscode>'),
    ).toBe(true);
    expect(xml).toContain('<outgoing>true</outgoing>');
  });

  it('returns the current user', async () => {
    const { body } = await ocs(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { auth: ALICE });
    expect(body.ocs.data).toMatchObject({ id: 'alice', 'display-name': 'Alice' });
  });
});

describe('Login Flow v2 and app passwords', () => {
  it('limits how many flows one client address may start per minute, without holding others back', async () => {
    const proxied = await startNode({ users: [], args: ['--trusted-proxy', '127.0.0.1'] });
    try {
      const start = (ip: string) =>
        call(`${proxied.url}/index.php/login/v2`, 'POST', { headers: { 'X-Forwarded-For': ip } });
      for (let i = 0; i < 30; i++) expect((await start('198.51.100.7')).status).toBe(200);
      const limited = await start('198.51.100.7');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await start('198.51.100.8')).status).toBe(200);
    } finally {
      await proxied.stop();
    }
  });

  it('logs in through the browser pages, hands the app password out once, and revokes it', async () => {
    const start = await call(`${node.url}/index.php/login/v2`, 'POST', {
      headers: { 'User-Agent': 'Add to Cloud test' },
    });
    expect(start.status).toBe(200);
    const flow = (await start.json()) as { poll: { token: string; endpoint: string }; login: string };
    expect(flow.poll.endpoint).toBe(`${node.url}/index.php/login/v2/poll`);
    expect(flow.login).toMatch(new RegExp(`^${node.url}/index.php/login/v2/flow/`));

    // Not granted yet: 404.
    expect((await call(flow.poll.endpoint, 'POST', { form: { token: flow.poll.token } })).status).toBe(404);

    const jar = new CookieJar();
    const loginPage = await call(flow.login, 'GET', { jar });
    const loginHtml = await loginPage.text();
    expect(loginHtml).toContain('name="password"');
    const rt = requestTokenOf(loginHtml);

    // Without the CSRF token the form is refused.
    const noCsrf = await call(flow.login, 'POST', { jar, form: { user: 'alice', password: 'alice-pass-1' } });
    expect(noCsrf.status).toBe(403);
    const wrong = await call(flow.login, 'POST', { jar, form: { user: 'alice', password: 'nope', requesttoken: rt } });
    expect(await wrong.text()).toContain('Wrong username or password.');

    const ok = await call(flow.login, 'POST', {
      jar,
      form: { user: 'alice', password: 'alice-pass-1', requesttoken: rt },
    });
    expect(ok.status).toBe(303);
    const grantHtml = await (await call(flow.login, 'GET', { jar })).text();
    expect(grantHtml).toContain('Grant access');
    expect(grantHtml).toContain('Add to Cloud test');
    const rt2 = requestTokenOf(grantHtml);
    const loginToken = flow.login.split('/').at(-1) ?? '';
    const granted = await call(`${node.url}/index.php/login/v2/grant`, 'POST', {
      jar,
      form: { token: loginToken, requesttoken: rt2 },
    });
    expect(granted.status).toBe(200);

    const poll = await call(flow.poll.endpoint, 'POST', { form: { token: flow.poll.token } });
    expect(poll.status).toBe(200);
    const result = (await poll.json()) as { server: string; loginName: string; appPassword: string };
    expect(result.server).toBe(node.url);
    expect(result.loginName).toBe('alice');
    expect(result.appPassword.length).toBeGreaterThan(30);
    // Only once.
    expect((await call(flow.poll.endpoint, 'POST', { form: { token: flow.poll.token } })).status).toBe(404);

    const appAuth: [string, string] = ['alice', result.appPassword];
    expect((await ocs(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { auth: appAuth })).status).toBe(200);
    // Revoking needs an app password; with the login password it is 403.
    expect((await ocs(`${node.url}/ocs/v2.php/core/apppassword`, 'DELETE', { auth: ALICE })).status).toBe(403);
    expect((await ocs(`${node.url}/ocs/v2.php/core/apppassword`, 'DELETE', { auth: appAuth })).status).toBe(200);
    expect((await ocs(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { auth: appAuth })).status).toBe(401);
    expect(node.logs()).not.toContain(result.appPassword);
  });

  it('shows 404 for an unknown flow and never grants without a login', async () => {
    expect((await call(`${node.url}/index.php/login/v2/flow/bogus`)).status).toBe(404);
    const grant = await call(`${node.url}/index.php/login/v2/grant`, 'POST', { form: { token: 'bogus' } });
    expect(grant.status).toBe(404);
  });

  it('throttles login guessing per IP and user with 429, even for the right password', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await ocs(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { auth: ['carol', `wrong-${i}`] })).status).toBe(
        401,
      );
    }
    const blocked = await ocs(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { auth: ['carol', 'carol-pass-1'] });
    expect(blocked.status).toBe(429);
    // Other accounts are not affected.
    expect((await ocs(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { auth: ALICE })).status).toBe(200);
  });

  it('logs in to the web UI and lists files', async () => {
    const jar = new CookieJar();
    const page = await (await call(`${node.url}/index.php/login`, 'GET', { jar })).text();
    const rt = requestTokenOf(page);
    expect(page).toContain('<meta name="generator" content="add-to-cloud-server">');
    const login = await call(`${node.url}/index.php/login`, 'POST', {
      jar,
      form: { user: 'alice', password: 'alice-pass-1', requesttoken: rt },
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/index.php/apps/files/');
    const files = await call(`${node.url}/index.php/apps/files/`, 'GET', { jar });
    expect(files.status).toBe(200);
    const filesHtml = await files.text();
    expect(filesHtml).toContain('data-user="alice"');
    expect((await call(`${node.url}/index.php/apps/files/`)).status).toBe(303);
    // Logging out needs the request token (no CSRF logout); afterwards the session is gone.
    await call(`${node.url}/index.php/logout`, 'GET', { jar });
    expect((await call(`${node.url}/index.php/apps/files/`, 'GET', { jar })).status).toBe(200);
    await call(`${node.url}/index.php/logout?requesttoken=${encodeURIComponent(requestTokenOf(filesHtml))}`, 'GET', {
      jar,
    });
    expect((await call(`${node.url}/index.php/apps/files/`, 'GET', { jar })).status).toBe(303);
  });
});
