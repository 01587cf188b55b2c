import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../integration/helpers/node';
import { unpack } from '../unit/release/zips';
import { CHROMIUM, CHROMIUM_ARGS, type ExtensionBrowser } from './support/chromium';
import { addFromSharePage, signInToLoginFlow } from './support/flows';
import { FIREFOX } from './support/firefox';
import { addInFirefox, connectInFirefox, sleep } from './support/firefox-flow';
import { ALICE, BOB, createLink as linkOf, readFile } from './support/nodes';
import { startAliceAndBob } from './support/setup';
import { startXDisplay, type XDisplay } from './support/xdisplay';

/**
 * The store packages as a user gets them: each zip of `npm run zip` unpacked into a fresh folder, loaded into the
 * browser, and the main flow run once — connect bob's own instance (granting the host permission in the browser's
 * real prompt, since the release build holds none), add alice's link from her host. Headful on a virtual display:
 * a headless browser cannot show the permission prompt.
 */
let x: XDisplay;
let alice: TestNode;
let bob: TestNode;
const temp = mkdtempSync(path.join(tmpdir(), 'add-to-cloud-zipped-'));

const createLink = (folder: string) => linkOf(alice, ALICE, folder);
const bobReads = (file: string) => readFile(bob, BOB, file);

beforeAll(async () => {
  x = await startXDisplay();
  [alice, bob] = await startAliceAndBob({ 'For Firefox/a.txt': 'firefox', 'For Chromium/b.txt': 'chromium' });
});

afterAll(async () => {
  await Promise.all([alice?.stop(), bob?.stop()]);
  x?.close();
  rmSync(temp, { recursive: true, force: true });
});

describe('the Firefox zip, unpacked and installed in Firefox ESR', () => {
  it('connects bob’s instance through the real permission prompt and adds alice’s link', async () => {
    const dir = await unpack('firefox', path.join(temp, 'firefox'));
    const firefox = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: false,
      env: x.env,
    });
    try {
      await firefox.installExtension(dir);
      await connectInFirefox(x, firefox, `bob@${bob.url}`, BOB);
      expect(await addInFirefox(x, firefox, await createLink('/For Firefox'))).toContain(
        'Added to your cloud as “/For Firefox”.',
      );
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
      await signInToLoginFlow(await loginTab, { user: BOB.name, password: BOB.password });
      await options.getByText(`Connected: bob@${bob.url}`).waitFor({ timeout: 15_000 });
      const browser: ExtensionBrowser = {
        context,
        extensionId,
        serviceWorker: worker,
        openedOnInstall: undefined,
        close: () => context.close(),
      };
      const confirm = await addFromSharePage(browser, await createLink('/For Chromium'));
      expect(await confirm.getByTestId('outcome').textContent()).toBe('Added to your cloud as “/For Chromium”.');
      expect(await bobReads('For Chromium/b.txt')).toBe('chromium');
    } finally {
      await context.close();
    }
  }, 120_000);
});
