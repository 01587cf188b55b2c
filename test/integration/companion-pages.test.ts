import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from './helpers/node';
import { call, CookieJar, ocs, requestTokenOf } from './helpers/http';

// The companion's own pages: Login Flow names the client in words a person knows, a logged-in user goes straight to
// the grant, and every page is styled by the node's one stylesheet under a CSP that allows nothing inline.

const ALICE = { name: 'alice', password: 'alice-pass-1', displayName: 'Alice Liddell' };
const UA = {
  chromium:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
};
// What the browsers send with the extension's POST (checked with Debian's Chromium: chrome-extension://<id>).
const CHROME_EXTENSION = 'chrome-extension://gemlbbjpbgcdnnpmgdpnkmcbobmgdfoj';
const FIREFOX_EXTENSION = 'moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

let node: TestNode;
beforeAll(async () => {
  node = await startNode({
    users: [ALICE],
    files: { alice: { 'Photos/beach.txt': 'sand', 'Locked/key.txt': 'k', 'Drop/': '', 'report.txt': 'r' } },
  });
});
afterAll(async () => node?.stop());

interface Flow {
  poll: { token: string; endpoint: string };
  login: string;
}

async function startFlow(headers: Record<string, string>): Promise<Flow> {
  const response = await call(`${node.url}/index.php/login/v2`, 'POST', { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as Flow;
}

async function logIn(jar: CookieJar, page: string): Promise<void> {
  const form = await (await call(page, 'GET', { jar })).text();
  const done = await call(page, 'POST', {
    jar,
    form: { user: ALICE.name, password: ALICE.password, requesttoken: requestTokenOf(form) },
  });
  expect(done.status).toBe(303);
}

const clientNameIn = (page: string) => /id="client-name">([^<]*)</.exec(page)?.[1];

/** Logs in on the flow page, grants, polls: returns what the login and grant pages said and the app password's name. */
async function runFlow(
  headers: Record<string, string>,
): Promise<{ onLogin?: string; onGrant?: string; done: string; appPasswordName?: string }> {
  const flow = await startFlow(headers);
  const jar = new CookieJar();
  const loginPage = await (await call(flow.login, 'GET', { jar })).text();
  await logIn(jar, flow.login);
  const grantPage = await (await call(flow.login, 'GET', { jar })).text();
  const granted = await call(`${node.url}/index.php/login/v2/grant`, 'POST', {
    jar,
    form: { token: flow.login.split('/').at(-1) ?? '', requesttoken: requestTokenOf(grantPage) },
  });
  const poll = (await (await call(flow.poll.endpoint, 'POST', { form: { token: flow.poll.token } })).json()) as {
    appPassword: string;
  };
  // The server's own list, asked with the new app password: the entry marked current is this one.
  const { body } = await ocs(`${node.url}/ocs/v2.php/core/apppasswords`, 'GET', {
    auth: [ALICE.name, poll.appPassword],
  });
  const appPasswordName = (body.ocs.data as { name: string; current: boolean }[]).find((entry) => entry.current)?.name;
  return {
    onLogin: clientNameIn(loginPage),
    onGrant: clientNameIn(grantPage),
    done: await granted.text(),
    appPasswordName,
  };
}

describe('Login Flow names the client', () => {
  it('after the extension and its browser when the extension starts it (Chromium)', async () => {
    const result = await runFlow({ 'User-Agent': UA.chromium, Origin: CHROME_EXTENSION });
    expect(result).toMatchObject({
      onLogin: 'Add to Cloud (Chromium)',
      onGrant: 'Add to Cloud (Chromium)',
      appPasswordName: 'Add to Cloud (Chromium)',
    });
    expect(result.done).toContain('Add to Cloud (Chromium) is now connected to your account.');
  });

  it('after the extension and its browser when the extension starts it (Firefox)', async () => {
    const result = await runFlow({ 'User-Agent': UA.firefox, Origin: FIREFOX_EXTENSION });
    expect(result).toMatchObject({ onGrant: 'Add to Cloud (Firefox)', appPasswordName: 'Add to Cloud (Firefox)' });
  });

  it('as "Browser on system" for any other browser, never as the raw User-Agent', async () => {
    const result = await runFlow({ 'User-Agent': UA.firefox });
    expect(result).toMatchObject({
      onLogin: 'Firefox on Linux',
      onGrant: 'Firefox on Linux',
      appPasswordName: 'Firefox on Linux',
    });
    expect(result.done).not.toContain('Mozilla/5.0');
  });
});

describe('an app password made from a login password (core/getapppassword)', () => {
  it('is named the same way', async () => {
    const made = await ocs(`${node.url}/ocs/v2.php/core/getapppassword`, 'GET', {
      auth: [ALICE.name, ALICE.password],
      headers: { 'User-Agent': UA.firefox, Origin: FIREFOX_EXTENSION },
    });
    const secret = (made.body.ocs.data as { apppassword: string }).apppassword;
    const { body } = await ocs(`${node.url}/ocs/v2.php/core/apppasswords`, 'GET', { auth: [ALICE.name, secret] });
    expect((body.ocs.data as { name: string; current: boolean }[]).find((entry) => entry.current)?.name).toBe(
      'Add to Cloud (Firefox)',
    );
  });
});

describe('a logged-in user', () => {
  it('goes straight to the grant, is told who is logged in, and can log out back to the flow as someone else', async () => {
    const jar = new CookieJar();
    await logIn(jar, `${node.url}/index.php/login`);
    const flow = await startFlow({ 'User-Agent': UA.chromium, Origin: CHROME_EXTENSION });
    const response = await call(flow.login, 'GET', { jar });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('Logged in as <strong>Alice Liddell</strong> (alice)');
    expect(page).toContain('<button type="submit" id="submit-grant" class="wide">Grant access</button>');
    expect(page).not.toMatch(/log in/i);
    expect(page).not.toContain('name="password"');

    const logout = /<a href="([^"]*)" id="logout">Not you\? Log out<\/a>/.exec(page)?.[1]?.replaceAll('&amp;', '&');
    expect(logout).toBeDefined();
    const out = await call(`${node.url}${logout}`, 'GET', { jar });
    expect(out.headers.get('location')).toBe(new URL(flow.login).pathname);
    const again = await (await call(flow.login, 'GET', { jar })).text();
    expect(again).toContain('name="password"');
    expect(again).not.toContain('Logged in as');
  });

  it('is sent back only to a Login Flow page or the login page after logging out (no open redirect)', async () => {
    for (const target of [
      'https://evil.example/',
      '//evil.example/index.php/login/v2/flow/x',
      '/index.php/apps/files/',
    ]) {
      const out = await call(`${node.url}/index.php/logout?redirect_url=${encodeURIComponent(target)}`);
      expect(out.headers.get('location')).toBe('/index.php/login');
    }
  });
});

describe('every page', () => {
  async function pages(): Promise<Record<string, Response>> {
    const create = async (p: string, extra: Record<string, string> = {}) => {
      const { body } = await ocs(`${node.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
        auth: [ALICE.name, ALICE.password],
        form: { path: p, shareType: '3', permissions: '1', ...extra },
      });
      return (body.ocs.data as { url: string }).url;
    };
    const [folder, file, locked, drop] = [
      await create('/Photos'),
      await create('/report.txt'),
      await create('/Locked', { password: 'link-pass-1' }),
      await create('/Drop', { permissions: '4' }),
    ];
    const flow = await startFlow({ 'User-Agent': UA.firefox });
    const guest = new CookieJar();
    const user = new CookieJar();
    const flowLogin = await call(flow.login, 'GET', { jar: guest });
    await logIn(user, `${node.url}/index.php/login`);
    const grant = await call(flow.login, 'GET', { jar: user });
    const grantHtml = await grant.clone().text();
    return {
      login: await call(`${node.url}/index.php/login`),
      'flow login': flowLogin,
      grant,
      'flow done': await call(`${node.url}/index.php/login/v2/grant`, 'POST', {
        jar: user,
        form: { token: flow.login.split('/').at(-1) ?? '', requesttoken: requestTokenOf(grantHtml) },
      }),
      'flow expired': await call(`${node.url}/index.php/login/v2/flow/expired`),
      files: await call(`${node.url}/index.php/apps/files/?dir=/Photos`, 'GET', { jar: user }),
      'files, add a link': await call(
        `${node.url}/index.php/apps/files/?remote=https%3A%2F%2Fother.example&token=abc&owner=bob&name=Holiday&protected=1`,
        'GET',
        { jar: user },
      ),
      'link: folder': await call(folder),
      'link: file': await call(file),
      'link: password': await call(`${locked}/authenticate`),
      'link: file drop': await call(drop),
      'link: unknown': await call(`${node.url}/s/doesnotexist1234`),
    };
  }

  it('links only the node’s own stylesheet, has no inline style, a viewport and a CSP that allows no inline style', async () => {
    for (const [name, response] of Object.entries(await pages())) {
      const page = await response.text();
      expect(response.headers.get('content-type'), name).toContain('text/html');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, name).toContain("style-src 'self';");
      expect(csp, name).not.toContain('unsafe-inline');
      const sheets = [...page.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*>/g)].map(
        (m) => /href="([^"]*)"/.exec(m[0])?.[1],
      );
      expect(sheets, name).toEqual([expect.stringMatching(/^\/core\/css\/companion\.css\?v=\d+\.\d+\.\d+/)]);
      expect(page, name).not.toMatch(/<style|\sstyle=/i);
      expect(page, name).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(page, name).toContain('<meta name="color-scheme" content="light dark">');
    }
  });

  it('gets the stylesheet from the node, with a dark scheme and a phone layout', async () => {
    const response = await call(`${node.url}/core/css/companion.css?v=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const css = await response.text();
    expect(css).toContain('@media (prefers-color-scheme: dark)');
    expect(css).toMatch(/@media \(max-width: \d+px\)/);
    const icon = await call(`${node.url}/core/img/favicon.png`);
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await icon.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });
});
