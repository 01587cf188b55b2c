import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ocs } from '../integration/helpers/http';
import { startNode, type TestNode } from '../integration/helpers/node';
import { unpack } from '../unit/release/zips';
import { CHROMIUM, CHROMIUM_ARGS, type ExtensionBrowser } from './support/chromium';
import { addFromSharePage } from './support/flows';
import { FIREFOX } from './support/firefox';
import { addInFirefox, connectInFirefox, sleep } from './support/firefox-flow';
import { SHARER_HOST } from './support/hosts';
import { startXDisplay, type XDisplay } from './support/xdisplay';

/**
 * The store packages as a user gets them: each zip of `npm run zip` unpacked into a fresh folder, loaded into the
 * browser, and the main flow run once — connect bob's own instance (granting the host permission in the browser's
 * real prompt, since the release build holds none), add alice's link from her host. Headful on a virtual display:
 * a headless browser cannot show the permission prompt.
 */
const ALICE = { name: 'alice', password: 'alicepass123', displayName: 'Alice' };
const BOB = { name: 'bob', password: 'bobpass123', displayName: 'Bob' };

let x: XDisplay;
let alice: TestNode;
let bob: TestNode;
const temp = mkdtempSync(path.join(tmpdir(), 'add-to-cloud-zipped-'));

async function createLink(folder: string): Promise<string> {
  const { status, body } = await ocs(`${alice.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
    auth: [ALICE.name, ALICE.password],
    form: { path: folder, shareType: '3', permissions: '1' },
  });
  expect(status).toBe(200);
  return (body.ocs.data as { url: string }).url;
}

async function bobReads(file: string): Promise<string | undefined> {
  const response = await call(`${bob.url}/remote.php/dav/files/bob/${file.split('/').map(encodeURIComponent).join('/')}`, 'GET', {
    auth: [BOB.name, BOB.password],
  });
  return response.status === 200 ? response.text() : undefined;
}

beforeAll(async () => {
  x = await startXDisplay();
  [alice, bob] = await Promise.all([
    startNode({ host: SHARER_HOST, users: [ALICE], files: { alice: { 'For Firefox/a.txt': 'firefox', 'For Chromium/b.txt': 'chromium' } } }),
    startNode({ users: [BOB] }),
  ]);
});

afterAll(async () => {
  await Promise.all([alice?.stop(), bob?.stop()]);
  x?.close();
  rmSync(temp, { recursive: true, force: true });
});

describe('the Firefox zip, unpacked and installed in Firefox ESR', () => {
  it('connects bob’s instance through the real permission prompt and adds alice’s link', async () => {
    const dir = await unpack('firefox', path.join(temp, 'firefox'));
    const firefox = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: false, env: x.env });
    try {
      await firefox.installExtension(dir);
      await connectInFirefox(x, firefox, `bob@${bob.url}`, BOB);
      expect(await addInFirefox(x, firefox, await createLink('/For Firefox'))).toContain('Added to your cloud as “/For Firefox”.');
      expect(await bobReads('For Firefox/a.txt')).toBe('firefox');
    } finally {
      await firefox.close();
    }
  }, 120_000);
});

describe('the Chrome zip, unpacked and loaded in Chromium', () => {
  it('connects bob’s instance through Chrome’s permission dialog and adds alice’s link', async () => {
    const dir = await unpack('chrome', path.join(temp, 'chrome'));
    const profile = path.join(temp, 'chromium-profile');
    const context: BrowserContext = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: false,
      env: x.env,
      viewport: { width: 1200, height: 800 },
      args: [...CHROMIUM_ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
    });
    try {
      const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
      const extensionId = new URL(worker.url()).host;
      const options = await context.newPage();
      await options.goto(`chrome-extension://${extensionId}/options.html`);
      await options.getByLabel('Your cloud’s address or your cloud id').fill(`bob@${bob.url}`);
      await options.getByRole('button', { name: 'Connect', exact: true }).click();
      const loginTab = context.waitForEvent('page', { timeout: 20_000 });
      await options.getByRole('button', { name: 'Allow and continue' }).click();
      // Chrome's own dialog ("Add to Cloud has requested additional permissions … 127.0.0.1", Deny focused) is out of
      // automation's reach: as a person would, Tab to "Allow" and press Enter.
      await sleep(1500);
      x.focusWindow('Add to Cloud settings');
      x.key('Tab');
      x.key('Return');
      const login = await loginTab;
      await login.waitForLoadState();
      await login.locator('#user').fill(BOB.name);
      await login.locator('#password').fill(BOB.password);
      await login.locator('#submit').click();
      await login.getByRole('button', { name: /grant/i }).click();
      await options.getByText(`Connected: bob@${bob.url}`).waitFor({ timeout: 15_000 });
      const browser: ExtensionBrowser = { context, extensionId, serviceWorker: worker, openedOnInstall: undefined, close: () => context.close() };
      const confirm = await addFromSharePage(browser, await createLink('/For Chromium'));
      expect(await confirm.getByTestId('outcome').textContent()).toBe('Added to your cloud as “/For Chromium”.');
      expect(await bobReads('For Chromium/b.txt')).toBe('chromium');
    } finally {
      await context.close();
    }
  }, 120_000);
});
