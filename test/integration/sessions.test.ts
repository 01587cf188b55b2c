import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from './helpers/node';
import { call, CookieJar, ocs, requestTokenOf } from './helpers/http';

// Finding 10 of issue 8 (sessions): anonymous traffic must not create sessions it does not need, and a flood of
// anonymous visitors must never push a logged-in browser out of the (bounded) session table.

const ALICE: [string, string] = ['alice', 'alice-pass-1'];
let node: TestNode;
let token: string;

beforeAll(async () => {
  node = await startNode({ users: [{ name: 'alice', password: 'alice-pass-1' }], files: { alice: { 'a.txt': 'a' } } });
  const created = await ocs(`${node.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', { auth: ALICE, form: { path: '/a.txt', shareType: '3' } });
  token = (created.body.ocs.data as { token: string }).token;
});
afterAll(async () => node.stop());

async function logIn(): Promise<CookieJar> {
  const jar = new CookieJar();
  const requesttoken = requestTokenOf(await (await call(`${node.url}/index.php/login`, 'GET', { jar })).text());
  const login = await call(`${node.url}/index.php/login`, 'POST', { jar, form: { user: 'alice', password: 'alice-pass-1', requesttoken } });
  expect(login.status).toBe(303);
  return jar;
}

describe('browser sessions', () => {
  it('does not create a session for a cookie-less visit of a public link page', async () => {
    const page = await call(`${node.url}/s/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.getSetCookie()).toEqual([]);
    expect(await page.text()).toMatch(/data-requesttoken="[^"]+"/); // the marker ownCloud peers expect is still there
  });

  it('keeps a logged-in session through 25,000 cookie-less requests (more than the session bound)', async () => {
    const jar = await logIn();
    // Half of them ask for the login form, which does need a session (its CSRF token); the default bound is 20,000.
    const urls = [`${node.url}/index.php/login`, `${node.url}/s/${token}`];
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < 25_000) {
        const response = await fetch(urls[next++ % 2] ?? '');
        await response.arrayBuffer();
      }
    }));
    const files = await call(`${node.url}/index.php/apps/files/`, 'GET', { jar });
    expect(files.status).toBe(200);
    expect(await files.text()).toContain('data-user="alice"');
  }, 120_000);
});
