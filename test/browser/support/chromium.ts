import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Worker } from 'playwright-core';

export const CHROMIUM = '/usr/lib/chromium/chromium';
export const EXTENSION_DIR = path.resolve(import.meta.dirname, '../../../.output/chrome-mv3');
/** The end-to-end build: identical but for the host permission on 127.0.0.1 granted at install (wxt.config.ts). */
export const E2E_EXTENSION_DIR = path.resolve(import.meta.dirname, '../../../.output/chrome-mv3-e2e');

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  /** The options page the extension opens on first install (closed again, so tests start from a quiet browser). */
  openedOnInstall: string | undefined;
  close(): Promise<void>;
}

/**
 * Debian's Chromium (the real binary: /usr/bin/chromium is a wrapper script) with the built extension, in new
 * headless mode, which loads MV3 extensions. The background-networking flags keep it from hanging on this
 * machine's closed network.
 */
/** Flags for Debian's Chromium in these tests: no sandbox (root), and none of the background networking that would
 * hang on this machine's closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Plain headless Chromium, without the extension: a victim's or a visitor's browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export async function launchWithExtension(
  extensionDir = EXTENSION_DIR,
  options: { lang?: string } = {},
): Promise<ExtensionBrowser> {
  if (!existsSync(path.join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run "npx wxt build" (npm test does) first.`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'atc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      // The browser's UI language, which extension pages speak (browser.i18n): --lang alone is not enough on Linux.
      ...(options.lang ? [`--lang=${options.lang}`] : []),
    ],
    ...(options.lang && {
      locale: options.lang,
      env: { ...process.env, LANGUAGE: options.lang, LANG: `${options.lang}_DE.UTF-8` },
    }),
  });
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(serviceWorker.url()).host;
  const openedOnInstall = await closeInstallPage(context, extensionId);
  return {
    context,
    extensionId,
    serviceWorker,
    openedOnInstall,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits (up to 10 s) for the extension's first-install tab and closes it; returns its URL. */
async function closeInstallPage(context: BrowserContext, extensionId: string): Promise<string | undefined> {
  const prefix = `chrome-extension://${extensionId}/`;
  for (let waited = 0; waited < 10_000; waited += 100) {
    const page = context.pages().find((p) => p.url().startsWith(prefix));
    if (page) {
      const url = page.url();
      // Let it load completely first: closing the extension's first page while it starts up sometimes leaves
      // Chromium without the extension's messages for the whole session (i18n.getMessage answers '').
      await page.waitForLoadState('load');
      await page.locator('h1').waitFor();
      await page.close();
      return url;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

/**
 * Stops the extension's service worker, as Chrome does when it idles or the browser is under memory pressure.
 * Uses the DevTools ServiceWorker domain from one of the extension's own pages (its worker is in that scope).
 */
export async function stopServiceWorker(browser: ExtensionBrowser): Promise<void> {
  const page = await browser.context.newPage();
  try {
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const cdp = await browser.context.newCDPSession(page);
    const versions: { versionId: string; scriptURL: string; runningStatus: string }[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', (event) => versions.push(...event.versions));
    await cdp.send('ServiceWorker.enable');
    for (
      let waited = 0;
      waited < 3000 && !versions.some((v) => v.scriptURL.includes(browser.extensionId));
      waited += 50
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const worker = versions.find((v) => v.scriptURL.includes(browser.extensionId));
    if (!worker) throw new Error('The extension has no service worker to stop');
    await cdp.send('ServiceWorker.stopWorker', { versionId: worker.versionId });
    await cdp.detach();
  } finally {
    await page.close();
  }
}
