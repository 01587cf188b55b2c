import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import puppeteer, { type Browser } from 'puppeteer-core';
import { call, ocs } from '../integration/helpers/http';
import { startNode, type TestNode } from '../integration/helpers/node';
import { FIREFOX, FIREFOX_EXTENSION_DIR } from './support/firefox';
import { startXDisplay, type XDisplay } from './support/xdisplay';

/**
 * The main flow in Firefox ESR with the release build: connect through the settings page and the permission
 * prompt, then add alice's link from the share page. Firefox hides its extension pages and prompts from
 * WebDriver BiDi, so those steps use the keyboard and mouse on a virtual display, as a person would; the
 * web pages (share page, Login Flow) are driven by puppeteer-core.
 */
const ALICE = { name: 'alice', password: 'alicepass123', displayName: 'Alice' };
const BOB = { name: 'bob', password: 'bobpass123', displayName: 'Bob' };
/** Where the address field sits on the settings page in a 1280×900 window (no accounts yet). */
const ADDRESS_FIELD = { x: 640, y: 287 };

let x: XDisplay;
let alice: TestNode;
let bob: TestNode;
let firefox: Browser;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`Timed out waiting for ${what}`);
}

beforeAll(async () => {
  x = await startXDisplay();
  [alice, bob] = await Promise.all([
    startNode({ users: [ALICE], files: { alice: { 'Holiday/photo.txt': 'sunny' } } }),
    startNode({ users: [BOB] }),
  ]);
  firefox = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: false, env: x.env });
  await firefox.installExtension(FIREFOX_EXTENSION_DIR);
});

afterAll(async () => {
  await firefox?.close();
  await Promise.all([alice?.stop(), bob?.stop()]);
  x?.close();
});

describe('in Firefox ESR (release build, real prompts)', () => {
  it('connects bob’s instance and adds alice’s link to it', async () => {
    // First install opened the settings: type the cloud id, allow the host permission, sign in.
    x.focusWindow('Add to Cloud settings');
    await sleep(500);
    x.click(ADDRESS_FIELD.x, ADDRESS_FIELD.y);
    x.type(`bob@${bob.url}`);
    x.key('Return');
    await sleep(1500);
    x.key('alt+a'); // "Allow" in Firefox's permission prompt
    const login = await until(async () => (await firefox.pages()).find((p) => p.url().includes('/login/v2/flow/')), 15_000, 'the Login Flow tab');
    await login.type('#user', BOB.name);
    await login.type('#password', BOB.password);
    await Promise.all([login.waitForNavigation(), login.click('#submit')]);
    await Promise.all([login.waitForNavigation().catch(() => undefined), login.click('button[type=submit]')]);
    // The settings page closes the Login Flow tab once it has the app password.
    await until(async () => ((await firefox.pages()).some((p) => p.url().includes('/login/v2/')) ? undefined : true), 15_000, 'the login to finish');

    const { body } = await ocs(`${alice.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
      auth: [ALICE.name, ALICE.password],
      form: { path: '/Holiday', shareType: '3', permissions: '1' },
    });
    const page = await firefox.newPage();
    await page.goto((body.ocs.data as { url: string }).url);
    const host = await page.waitForFunction(() => document.querySelector('[data-add-to-cloud]'), { timeout: 10_000, polling: 100 });
    const box = (await host.asElement()!.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);

    // The confirmation window: its first action (Add) has the focus.
    x.focusWindow('Add to your cloud');
    await sleep(500);
    x.key('Return');
    const listing = await until(async () => {
      const response = await call(`${bob.url}/remote.php/dav/files/bob/Holiday/photo.txt`, 'GET', { auth: [BOB.name, BOB.password] });
      return response.status === 200 ? response.text() : undefined;
    }, 20_000, 'the share in bob’s files');
    expect(listing).toBe('sunny');
  });
});
