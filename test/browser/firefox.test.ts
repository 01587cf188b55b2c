import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer-core';
import { startSharePageServer, type ServedFixture, type SharePageServer } from '../../scripts/demo/share-page-server';
import { launchFirefoxWithExtension } from './support/firefox';

let server: SharePageServer;
let firefox: Browser;
let page: Page;

beforeAll(async () => {
  server = await startSharePageServer();
  ({ browser: firefox } = await launchFirefoxWithExtension());
  page = await firefox.newPage();
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

const offered = (f: ServedFixture) => f.entry.expected?.canFederate === true && !f.entry.expected.passwordRequired;

/** Puppeteer's waitForSelector misses nodes added by another world; poll the DOM instead. */
const hostAppears = (timeout: number) =>
  page
    .waitForFunction(() => document.querySelector('[data-add-to-cloud]') !== null, { timeout, polling: 100 })
    .then(() => true)
    .catch(() => false);

describe('in Firefox ESR', () => {
  it.each([
    ['ownCloud 10', 'oc10'],
    ['Nextcloud 31+', 'nc-vue'],
  ])('the detector loads the share UI on a %s share page (dynamic import in a Firefox content script)', async (_what, generation) => {
    const share = server.fixtures.find((f) => offered(f) && f.entry.expected?.generation === generation)!;
    await page.goto(share.url);
    expect(await hostAppears(8000)).toBe(true);
  });

  it('shows nothing on a page that only looks like a share', async () => {
    const lookAlike = server.fixtures.find((f) => f.entry.expected === null && /^https?:/.test(f.entry.url))!;
    await page.goto(lookAlike.url);
    expect(await hostAppears(1500)).toBe(false);
  });
});
