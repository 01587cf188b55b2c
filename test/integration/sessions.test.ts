import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from './helpers/node';
import { call, CookieJar, ocs, requestTokenOf } from './helpers/http';

// Finding 10 of issue 8 (sessions): anonymous traffic must not create sessions it does not need, and a flood of
// anonymous visitors must never push a logged-in browser out of the (bounded) session table.

const ALICE: [string, string] = ['alice', 'alice-pass-1'];
let node: TestNode;
let token: string;

beforeAll(async () => {
  // A small session bound keeps the flood test fast; the default (20,000) behaves the same, only later (with the old
  // code, 25,000 such requests at the old fixed bound of 20,000 logged everyone out).
  node = await startNode({
    users: [{ name: 'alice', password: 'alice-pass-1' }],
    files: { alice: { 'a.txt': 'a' } },
    args: ['--max-sessions', '1000'],
  });
  const created = await ocs(`${node.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
    auth: ALICE,
    form: { path: '/a.txt', shareType: '3' },
  });
  token = (created.body.ocs.data as { token: string }).token;
});
afterAll(async () => node.stop());

async function logIn(): Promise<CookieJar> {
  const jar = new CookieJar();
  const requesttoken = requestTokenOf(await (await call(`${node.url}/index.php/login`, 'GET', { jar })).text());
  const login = await call(`${node.url}/index.php/login`, 'POST', {
    jar,
    form: { user: 'alice', password: 'alice-pass-1', requesttoken },
  });
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

  it('keeps logged-in sessions through cookie-less requests that each create a session, 3 times the bound', async () => {
    const jars = [await logIn(), await logIn()];
    // The login form does need a session (its CSRF token), so each of these creates one.
    let sent = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (sent < 3000) {
          sent++;
          const response = await fetch(`${node.url}/index.php/login`);
          expect(response.headers.getSetCookie()).toHaveLength(1);
          await response.arrayBuffer();
        }
      }),
    );
    for (const jar of jars) {
      const files = await call(`${node.url}/index.php/apps/files/`, 'GET', { jar });
      expect(files.status).toBe(200);
      expect(await files.text()).toContain('data-user="alice"');
    }
  });

  it('keeps the sessions of two nodes on one host apart: browsers keep cookies per host, not per port', async () => {
    const other = await startNode({ users: [{ name: 'bob', password: 'bob-pass-1' }] });
    try {
      // One jar for both, like a browser visiting 127.0.0.1:A and 127.0.0.1:B.
      const jar = await logIn();
      const requesttoken = requestTokenOf(await (await call(`${other.url}/index.php/login`, 'GET', { jar })).text());
      expect(
        (
          await call(`${other.url}/index.php/login`, 'POST', {
            jar,
            form: { user: 'bob', password: 'bob-pass-1', requesttoken },
          })
        ).status,
      ).toBe(303);
      expect(await (await call(`${node.url}/index.php/apps/files/`, 'GET', { jar })).text()).toContain(
        'data-user="alice"',
      );
      expect(await (await call(`${other.url}/index.php/apps/files/`, 'GET', { jar })).text()).toContain(
        'data-user="bob"',
      );
    } finally {
      await other.stop();
    }
  });
});
