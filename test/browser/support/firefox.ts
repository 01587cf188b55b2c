import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import type { TestNode } from '../../integration/helpers/node';
import type { XDisplay } from './xdisplay';

export const FIREFOX = '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = path.resolve(import.meta.dirname, '../../../.output/firefox-mv2');

/**
 * Debian's Firefox ESR driven over WebDriver BiDi by puppeteer-core, with the built Firefox extension installed
 * as a temporary add-on. Firefox refuses automation of moz-extension:// pages, so extension pages are
 * tested in Chromium; here we test what runs on web pages.
 */
export async function launchFirefoxWithExtension(): Promise<{ browser: Browser; addonId: string }> {
  if (!existsSync(path.join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No built Firefox extension in ${FIREFOX_EXTENSION_DIR}: run "npx wxt build -b firefox" (npm test does) first.`);
  }
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  const addonId = await browser.installExtension(FIREFOX_EXTENSION_DIR);
  return { browser, addonId };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 200 ms until it answers something, for at most `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Where the address field sits on the settings page in a 1280×900 window (no accounts yet: below the welcome steps). */
const ADDRESS_FIELD = { x: 640, y: 423 };

/**
 * Connects `user`'s cloud on `node` the way a person does in the release build: the settings page the first install
 * opened, the cloud id typed in; the server is checked first, then "Allow and continue" (which has the focus) asks
 * for the host permission, Firefox's prompt is answered with Alt+A, and the user signs in and grants on the Login
 * Flow pages. Firefox hides its extension pages and prompts from WebDriver BiDi, hence keyboard and mouse.
 */
export async function connectLikeAPerson(x: XDisplay, firefox: Browser, node: TestNode, user: { name: string; password: string }): Promise<void> {
  x.focusWindow('Add to Cloud settings');
  await sleep(500);
  x.click(ADDRESS_FIELD.x, ADDRESS_FIELD.y);
  x.type(`${user.name}@${node.url}`);
  x.key('Return');
  await sleep(1500);
  x.key('Return'); // "Allow and continue"
  await sleep(1500);
  x.key('alt+a'); // "Allow" in Firefox's permission prompt
  const login = await until(async () => (await firefox.pages()).find((p) => p.url().includes('/login/v2/flow/')), 15_000, 'the Login Flow tab');
  await login.type('#user', user.name);
  await login.type('#password', user.password);
  await Promise.all([login.waitForNavigation(), login.click('#submit')]);
  await Promise.all([login.waitForNavigation().catch(() => undefined), login.click('button[type=submit]')]);
  // The settings page closes the Login Flow tab once it has the app password.
  await until(async () => ((await firefox.pages()).some((p) => p.url().includes('/login/v2/')) ? undefined : true), 15_000, 'the login to finish');
}
