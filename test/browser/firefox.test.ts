import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer-core';
import { startSharePageServer, type ServedFixture, type SharePageServer } from '../../scripts/demo/share-page-server';
import { launchFirefoxWithExtension } from './support/firefox';
import { SHARER_HOST } from './support/hosts';

let server: SharePageServer;
let firefox: Browser;
let page: Page;

beforeAll(async () => {
  server = await startSharePageServer(0, SHARER_HOST);
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
  ])(
    'the detector loads the share UI on a %s share page (dynamic import in a Firefox content script)',
    async (_what, generation) => {
      const share = server.fixtures.find((f) => offered(f) && f.entry.expected?.generation === generation)!;
      await page.goto(share.url);
      expect(await hostAppears(8000)).toBe(true);
    },
  );

  it('offers an SPA (oCIS) candidate once the sharer’s server, on a host the extension holds no permission for, confirms the token', async () => {
    const spa = server.fixtures.find((f) => offered(f) && f.entry.expected?.kind === 'ocis')!;
    expect(new URL(spa.url).hostname).toBe(SHARER_HOST);
    await page.goto(spa.url);
    expect(await hostAppears(8000)).toBe(true);
    await page.goto(spa.url.replace(spa.entry.expected!.token!, 'Zz9Zz9Zz9Zz9Zz9'));
    expect(await hostAppears(2000)).toBe(false);
  });

  it('shows nothing on a page that only looks like a share', async () => {
    const lookAlike = server.fixtures.find((f) => f.entry.expected === null && /^https?:/.test(f.entry.url))!;
    await page.goto(lookAlike.url);
    expect(await hostAppears(1500)).toBe(false);
  });
});
