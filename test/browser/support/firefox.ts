import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

export const FIREFOX = '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = path.resolve(import.meta.dirname, '../../../.output/firefox-mv2');

/**
 * Debian's Firefox ESR driven over WebDriver BiDi by puppeteer-core, with the built Firefox extension installed
 * as a temporary add-on. Firefox refuses automation of moz-extension:// pages, so extension pages are
 * tested in Chromium; here we test what runs on web pages.
 */
export async function launchFirefoxWithExtension(): Promise<{ browser: Browser; addonId: string }> {
  if (!existsSync(path.join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(
      `No built Firefox extension in ${FIREFOX_EXTENSION_DIR}: run "npx wxt build -b firefox" (npm test does) first.`,
    );
  }
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  const addonId = await browser.installExtension(FIREFOX_EXTENSION_DIR);
  return { browser, addonId };
}
