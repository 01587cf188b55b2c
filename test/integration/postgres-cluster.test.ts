import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, startNode, type TestNode } from './helpers/node';
import { call, CookieJar, ocs, requestTokenOf } from './helpers/http';
import { startPostgres, type PostgresCluster } from './helpers/postgres';

// Issue 11: nodes that share one PostgreSQL database and one data directory are interchangeable behind a load
// balancer (sessions, throttling and Login Flow state are in the database), an acknowledged write survives kill -9 of
// the node and a restart of PostgreSQL, and an outage of PostgreSQL is a clean 503 that ends by itself.

const ALICE: [string, string] = ['alice', 'alice-pass-1'];
let cluster: PostgresCluster;
let database: string;
let dataDir: string;
let a: TestNode;
let b: TestNode;

beforeAll(async () => {
  cluster = await startPostgres();
  database = await cluster.createDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'atc-shared-'));
  const common = { database, dataDir, args: ['--throttle-failures', '2'] };
  a = await startNode({
    ...common,
    users: [{ name: 'alice', password: 'alice-pass-1' }],
    files: { alice: { 'a.txt': 'a' } },
  });
  // One public URL for both, as behind a load balancer (the session cookie is named after it).
  b = await startNode({ ...common, publicUrl: a.url });
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await cluster?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

async function logIn(url: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const requesttoken = requestTokenOf(await (await call(`${url}/index.php/login`, 'GET', { jar })).text());
  const login = await call(`${url}/index.php/login`, 'POST', {
    jar,
    form: { user: 'alice', password: 'alice-pass-1', requesttoken },
  });
  expect(login.status).toBe(303);
  return jar;
}

describe('two nodes on one PostgreSQL database', () => {
  it('share browser sessions: logged in on one, known on the other, logged out on both', async () => {
    const jar = await logIn(a.url);
    const files = await call(`${b.url}/index.php/apps/files/`, 'GET', { jar });
    expect(files.status).toBe(200);
    const page = await files.text();
    expect(page).toContain('data-user="alice"');
    const logout = await call(
      `${b.url}/index.php/logout?requesttoken=${encodeURIComponent(requestTokenOf(page))}`,
      'GET',
      { jar },
    );
    expect(logout.status).toBe(303);
    expect((await call(`${a.url}/index.php/apps/files/`, 'GET', { jar })).status).toBe(303); // back to the login page
  });

  it('share the throttle: failures on one node back the client off on the other', async () => {
    for (let i = 0; i < 2; i++)
      expect((await ocs(`${a.url}/ocs/v2.php/cloud/user`, 'GET', { auth: ['alice', 'wrong'] })).status).toBe(401);
    const held = await call(`${b.url}/ocs/v2.php/cloud/user`, 'GET', { auth: ALICE });
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await ocs(`${b.url}/ocs/v2.php/cloud/user`, 'GET', { auth: ALICE })).status).toBe(200); // success clears it
  });

  /** Starts a Login Flow v2 on node A and grants it on node B; returns its poll token. */
  async function grantedLoginFlow(): Promise<string> {
    const flow = (await (await call(`${a.url}/index.php/login/v2`, 'POST')).json()) as {
      poll: { token: string };
      login: string;
    };
    const loginPath = new URL(flow.login).pathname;
    const jar = await logIn(b.url);
    const page = await call(`${b.url}${loginPath}`, 'GET', { jar });
    expect(page.status).toBe(200);
    const requesttoken = requestTokenOf(await page.text());
    const grant = await call(`${b.url}/index.php/login/v2/grant`, 'POST', {
      jar,
      form: { token: loginPath.split('/').pop() ?? '', requesttoken },
    });
    expect(grant.status).toBe(200);
    return flow.poll.token;
  }

  it('share Login Flow v2 (started on one node, granted on the other, polled on the first) and app password revocation', async () => {
    const pollToken = await grantedLoginFlow();
    const poll = await call(`${a.url}/index.php/login/v2/poll`, 'POST', { form: { token: pollToken } });
    expect(poll.status).toBe(200);
    const credentials = (await poll.json()) as { loginName: string; appPassword: string };
    expect(credentials.loginName).toBe('alice');
    const appAuth: [string, string] = ['alice', credentials.appPassword];
    expect((await ocs(`${b.url}/ocs/v2.php/cloud/user`, 'GET', { auth: appAuth })).status).toBe(200); // now in B's auth cache
    // Revoked through A: B's cache of verified credentials must not keep it alive.
    expect((await ocs(`${a.url}/ocs/v2.php/core/apppassword`, 'DELETE', { auth: appAuth })).status).toBe(200);
    expect((await ocs(`${b.url}/ocs/v2.php/cloud/user`, 'GET', { auth: appAuth })).status).toBe(401);
  });

  it('hand the app password of a Login Flow out once, also to two polls on two nodes at the same time', async () => {
    for (let round = 0; round < 5; round++) {
      const token = await grantedLoginFlow();
      const polls = await Promise.all(
        [a, b].map((node) => call(`${node.url}/index.php/login/v2/poll`, 'POST', { form: { token } })),
      );
      expect(polls.map((poll) => poll.status).sort()).toEqual([200, 404]);
      const granted = polls.find((poll) => poll.status === 200);
      expect(((await granted?.json()) as { loginName?: string }).loginName).toBe('alice');
    }
  });
});

describe('durability and outages', () => {
  it('keeps a write acknowledged over HTTP through kill -9 of the node and a crash of PostgreSQL', async () => {
    const created = await ocs(`${a.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
      auth: ALICE,
      form: { path: '/a.txt', shareType: '3' },
    });
    expect(created.status).toBe(200);
    const token = (created.body.ocs.data as { token: string }).token;
    await a.kill9(); // right after the answer
    // PostgreSQL crashes too: what it acknowledged must be in its WAL on disk (the test cluster does not flush on its
    // own for 10 s, helpers/postgres.ts), not in its memory.
    await cluster.crashRestart();
    await a.restart();
    expect((await call(`${a.url}/s/${token}`)).status).toBe(200);
    expect((await call(`${b.url}/s/${token}`)).status).toBe(200);
  });

  it('answers 503 while PostgreSQL is down and recovers by itself once it is back', async () => {
    expect((await ocs(`${b.url}/ocs/v2.php/cloud/user`, 'GET', { auth: ALICE })).status).toBe(200); // pool has connections
    await cluster.stopServer();
    try {
      const during = await call(`${b.url}/ocs/v2.php/cloud/user`, 'GET', { auth: ALICE });
      expect(during.status).toBe(503);
      expect(during.headers.get('retry-after')).toBe('2');
      expect((await call(`${b.url}/health`)).status).toBe(503); // the load balancer takes the node out
      expect((await call(`${b.url}/status.php`)).status).toBe(200); // the process itself is fine
    } finally {
      await cluster.startServer();
    }
    let status = 0;
    const deadline = Date.now() + 10_000;
    while (status !== 200 && Date.now() < deadline) {
      status = (await ocs(`${b.url}/ocs/v2.php/cloud/user`, 'GET', { auth: ALICE })).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect((await call(`${b.url}/health`)).status).toBe(200);
    await expect.poll(() => b.logs()).toContain('database unavailable');
  });
});

describe('the command line with --database', () => {
  it('manages accounts in PostgreSQL: a reset on the command line logs the browsers of every node out', async () => {
    const jar = await logIn(b.url);
    const reset = await runCli([
      'user',
      'add',
      'alice',
      '--password',
      'alice-pass-1',
      '--data',
      dataDir,
      '--database',
      database,
    ]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('user alice updated');
    expect(reset.stdout + reset.stderr).not.toContain(database); // the URL may carry a password
    expect((await call(`${a.url}/index.php/apps/files/`, 'GET', { jar })).status).toBe(303);
    const listed = await runCli(['user', 'app-passwords', 'alice', '--data', dataDir, '--database', database]);
    expect(listed.code).toBe(0);
  });

  it('does not start a node whose URL turns synchronous_commit off, and says why', async () => {
    const unsafe = `${database}&options=${encodeURIComponent('-c synchronous_commit=off')}`;
    const serve = await runCli(['serve', '--data', dataDir, '--url', 'http://127.0.0.1:1', '--database', unsafe]);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain('synchronous_commit is off');
    expect(serve.stdout + serve.stderr).not.toContain(unsafe);
  });

  it('refuses backup and restore of a PostgreSQL node, and a --database that is not a PostgreSQL URL', async () => {
    const [backup, restore, wrong] = await Promise.all([
      runCli(['backup', path.join(dataDir, 'never'), '--data', dataDir, '--database', database]),
      runCli(['restore', path.join(dataDir, 'never'), '--data', path.join(dataDir, 'new'), '--database', database]),
      runCli(['serve', '--data', dataDir, '--url', 'http://127.0.0.1:1', '--database', 'mysql://x']),
    ]);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain('backup covers nodes with the SQLite database only');
    expect(backup.stderr).toContain('pg_dump');
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('restore covers nodes with the SQLite database only');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('must be a PostgreSQL URL');
  });
});
