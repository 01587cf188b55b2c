import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { call } from '../integration/helpers/http';
import { ROOT, startNode, type TestNode } from '../integration/helpers/node';
import { appPasswordNames } from './support/app-passwords';
import { E2E_EXTENSION_DIR, launchChromium, launchWithExtension } from './support/chromium';
import { connectAccount } from './support/flows';
import { createLink } from './support/nodes';

/**
 * The companion's own pages in a plain Chromium (no extension needed) at a phone's width, 360 px: nothing scrolls
 * sideways, and in dark mode the page is dark. Screenshots for docs/server.md go to docs/screenshots with
 * UPDATE_SCREENSHOTS=1 (else to .output/screenshots, leaving the tree clean).
 */
const ALICE = { name: 'alice', password: 'alicepass123', displayName: 'Alice Liddell' };
const PHONE = { width: 360, height: 740 };
const SHOTS = path.join(ROOT, process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : '.output/screenshots');
// What the browser sends when the extension starts a Login Flow (see test/integration/companion-pages.test.ts).
const EXTENSION_START = {
  Origin: 'chrome-extension://gemlbbjpbgcdnnpmgdpnkmcbobmgdfoj',
  'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
};

let node: TestNode;
let browser: Browser;
let folderLink: string;
let lockedLink: string;

beforeAll(async () => {
  node = await startNode({
    users: [ALICE],
    files: {
      alice: {
        'Holiday photos from the summer of 2026 at the seaside/beach-panorama-with-a-very-long-name-that-does-not-fit.jpg.txt':
          'sand',
        'Holiday photos from the summer of 2026 at the seaside/notes.md': '# Notes',
        'Holiday photos from the summer of 2026 at the seaside/Day 2/': '',
        'Tax return 2025 — final version (signed and sent).pdf.txt': 'numbers',
        'Locked/key.txt': 'k',
      },
    },
  });
  const share = (p: string, extra: Record<string, string> = {}) => createLink(node, ALICE, p, extra);
  folderLink = await share('/Holiday photos from the summer of 2026 at the seaside');
  lockedLink = await share('/Locked', { password: 'link-pass-123' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await node?.stop();
});

async function phone(colorScheme: 'light' | 'dark'): Promise<BrowserContext> {
  return browser.newContext({ viewport: PHONE, colorScheme, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
}

async function logIn(page: Page): Promise<void> {
  await page.goto(`${node.url}/index.php/login`);
  await page.locator('#user').fill(ALICE.name);
  await page.locator('#password').fill(ALICE.password);
  await Promise.all([page.waitForURL(/apps\/files/), page.locator('#submit').click()]);
}

async function grantPageUrl(): Promise<string> {
  const started = await call(`${node.url}/index.php/login/v2`, 'POST', { headers: EXTENSION_START });
  return ((await started.json()) as { login: string }).login;
}

/** The pages to check, each reached the way a person reaches it. */
const PAGES: [name: string, open: (page: Page) => Promise<void>][] = [
  ['login', async (page) => void (await page.goto(`${node.url}/index.php/login`))],
  ['link', async (page) => void (await page.goto(folderLink))],
  ['password', async (page) => void (await page.goto(lockedLink))],
  ['files', async (page) => logIn(page)],
  // Where ownCloud's own "Add to your cloud" button sends someone whose cloud is this node.
  [
    'add-link',
    async (page) => {
      await logIn(page);
      await page.goto('about:blank'); // arriving from elsewhere: a full load, not a same-page fragment change
      await page.goto(
        `${node.url}/index.php/apps/files/#remote=https%3A%2F%2Fcloud.example.org%2Fowncloud&token=Kq3TzP8wLm2Vx7A&owner=bob.builder&name=Holiday%20photos%202026&protected=1`,
      );
      await page.locator('#add-remote-share').waitFor();
    },
  ],
  [
    'grant',
    async (page) => {
      await logIn(page);
      await page.goto(await grantPageUrl());
    },
  ],
];

/** Widest content against the viewport, and the page's background as [r, g, b]. */
async function measure(page: Page): Promise<{ scrollWidth: number; innerWidth: number; background: number[] }> {
  return page.evaluate(() => ({
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    innerWidth: window.innerWidth,
    background: (getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []).slice(0, 3).map(Number),
  }));
}

const luminance = ([r = 0, g = 0, b = 0]: number[]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;

describe('the companion’s pages on a phone (360 px)', () => {
  for (const [name, open] of PAGES) {
    it(`${name}: no horizontal scroll, light and dark`, async () => {
      for (const scheme of ['light', 'dark'] as const) {
        const context = await phone(scheme);
        try {
          const page = await context.newPage();
          await open(page);
          await page.locator('#header').waitFor();
          const { scrollWidth, innerWidth, background } = await measure(page);
          expect(innerWidth, `${name} ${scheme}`).toBe(PHONE.width);
          expect(scrollWidth, `${name} ${scheme}: content wider than the screen`).toBeLessThanOrEqual(PHONE.width);
          if (scheme === 'dark') expect(luminance(background), `${name}: dark background`).toBeLessThan(0.2);
          else expect(luminance(background), `${name}: light background`).toBeGreaterThan(0.8);
          await page.screenshot({
            path: path.join(SHOTS, `companion-${name}${scheme === 'dark' ? '-dark' : ''}.png`),
            fullPage: true,
          });
        } finally {
          await context.close();
        }
      }
    });
  }

  it('grant: names the extension and who is logged in, and asks for nothing else', async () => {
    const context = await phone('light');
    try {
      const page = await context.newPage();
      await logIn(page);
      await page.goto(await grantPageUrl());
      await expect.poll(() => page.locator('#client-name').textContent()).toBe('Add to Cloud (Chromium)');
      expect(await page.locator('#signed-in').textContent()).toBe(
        'Logged in as Alice Liddell (alice) · Not you? Log out',
      );
      expect(await page.locator('input[type=password]').count()).toBe(0);
      await page.getByRole('button', { name: 'Grant access' }).click();
      await expect
        .poll(() => page.locator('#message').textContent())
        .toBe('Add to Cloud (Chromium) is now connected to your account. You can close this window.');
    } finally {
      await context.close();
    }
  });
});

describe('Login Flow started by the extension', () => {
  it('names the app password "Add to Cloud (Chromium)" from what Chromium really sends', async () => {
    const extension = await launchWithExtension(E2E_EXTENSION_DIR);
    try {
      await connectAccount(extension, `alice@${node.url}`, { user: ALICE.name, password: ALICE.password });
      expect(await appPasswordNames(node.url, ALICE)).toContain('Add to Cloud (Chromium)');
    } finally {
      await extension.close();
    }
  });
});
