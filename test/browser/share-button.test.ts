import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSharePageServer, type ServedFixture, type SharePageServer } from '../../scripts/demo/share-page-server';
import { launchWithExtension, type ExtensionBrowser } from './support/chromium';
import { SHARER_HOST } from './support/hosts';
import { accessibleButtons, HOST_SELECTOR, hostCountAfterSettling, waitForHost } from './support/page-tools';

let server: SharePageServer;
let browser: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  server = await startSharePageServer(0, SHARER_HOST);
  browser = await launchWithExtension();
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function fixture(predicate: (f: ServedFixture) => boolean, what: string): ServedFixture {
  const found = server.fixtures.find(predicate);
  if (!found) throw new Error(`The corpus has no fixture for: ${what}`);
  return found;
}

const offered = (f: ServedFixture) => f.entry.expected?.canFederate === true && !f.entry.expected.passwordRequired;

describe('first install', () => {
  it('opens the settings, where the user connects their own cloud', () => {
    expect(browser.openedOnInstall).toBe(`chrome-extension://${browser.extensionId}/options.html`);
  });
});

describe('the injected "Add to your cloud" button', () => {
  it.each([
    ['ownCloud 10', (f: ServedFixture) => offered(f) && f.entry.expected?.generation === 'oc10'],
    ['Nextcloud ≤ 30', (f: ServedFixture) => offered(f) && f.entry.expected?.generation === 'nc-legacy'],
    ['Nextcloud 31+', (f: ServedFixture) => offered(f) && f.entry.expected?.generation === 'nc-vue'],
    ['the companion server', (f: ServedFixture) => offered(f) && f.entry.expected?.kind === 'companion'],
    [
      'oCIS (after the server confirms the token)',
      (f: ServedFixture) => offered(f) && f.entry.expected?.kind === 'ocis',
    ],
  ])('appears on a share page of %s, as an accessible button', async (what, predicate) => {
    const share = fixture(predicate, what);
    await page.goto(share.url);
    expect(await waitForHost(page), `no button on ${share.entry.file}`).toBe(true);
    expect(await accessibleButtons(browser.context, page, 'Add to your cloud')).toBe(1);
  });

  it('does not appear on pages that are not shares, including forged and look-alike ones', async () => {
    const negatives = server.fixtures.filter((f) => f.entry.expected === null).slice(0, 6);
    expect(negatives.length).toBeGreaterThan(2);
    for (const negative of [{ url: `${server.origin}/`, entry: { file: 'index' } }, ...negatives]) {
      await page.goto(negative.url);
      expect(await hostCountAfterSettling(page, 500), negative.entry.file).toBe(0);
    }
  });

  it('does not appear where the owner did not allow adding (file drop, hide-download, federation off)', async () => {
    const blocked = server.fixtures.filter((f) => f.entry.expected?.canFederate === false);
    expect(blocked.length).toBeGreaterThan(1);
    for (const share of blocked) {
      await page.goto(share.url);
      expect(await hostCountAfterSettling(page, 500), share.entry.file).toBe(0);
    }
  });

  it('is not offered for an SPA URL whose token the server does not know', async () => {
    const spa = fixture((f) => offered(f) && f.entry.expected?.kind === 'ocis', 'an oCIS share');
    const forgedToken = spa.url.replace(spa.entry.expected!.token!, 'Zz9Zz9Zz9Zz9Zz9');
    expect(forgedToken).not.toBe(spa.url);
    await page.goto(forgedToken);
    expect(await hostCountAfterSettling(page)).toBe(0);
  });

  it('follows single-page navigation: leaves with the share and comes back with it', async () => {
    const share = fixture((f) => offered(f) && f.entry.expected?.generation === 'nc-vue', 'a Nextcloud 31 share');
    await page.goto(share.url);
    expect(await waitForHost(page)).toBe(true);
    await page.evaluate(() => history.pushState({}, '', '/apps/files/'));
    await page.waitForSelector(HOST_SELECTOR, { state: 'detached', timeout: 3000 });
    await page.evaluate((url) => history.pushState({}, '', url), share.url);
    expect(await waitForHost(page, 3000)).toBe(true);
  });

  it('opens the extension-owned confirmation from the keyboard, showing the origin from the URL', async () => {
    const share = fixture(
      (f) => offered(f) && f.entry.expected?.generation === 'oc10' && !!f.entry.expected.name,
      'an ownCloud share with a name',
    );
    await page.goto(share.url);
    expect(await waitForHost(page)).toBe(true);
    // Tab through the page until focus lands on our host (focus inside a closed shadow root shows as the host).
    let focused = false;
    for (let i = 0; i < 40 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, HOST_SELECTOR);
    }
    expect(focused).toBe(true);
    const confirmation = browser.context.waitForEvent('page', { timeout: 5000 });
    await page.keyboard.press('Enter');
    const confirm = await confirmation;
    await confirm.waitForLoadState();
    expect(confirm.url()).toMatch(new RegExp(`^chrome-extension://${browser.extensionId}/confirm\\.html\\?tab=\\d+$`));
    await confirm.getByTestId('origin').waitFor();
    expect(await confirm.getByTestId('origin').textContent()).toBe(new URL(share.url).origin);
    expect(await confirm.getByTestId('item').textContent()).toContain(share.entry.expected!.name!);
    // The share token never appears in a URL we build.
    expect(confirm.url()).not.toContain(share.entry.expected!.token!);
    await confirm.close();
  });

  it('cannot be probed by a site through the extension’s fixed id, yet still loads on share pages', async () => {
    const share = fixture((f) => offered(f) && f.entry.expected?.generation === 'oc10', 'an ownCloud share');
    await page.goto(share.url);
    expect(await waitForHost(page)).toBe(true);
    // What fingerprinting scripts do: load a known web-accessible file from chrome-extension://<fixed id>/.
    const probe = (url: string) =>
      page.evaluate(
        (target) =>
          new Promise<boolean>((resolve) => {
            const script = document.createElement('script');
            script.src = target;
            script.onload = () => resolve(true);
            script.onerror = () => resolve(false);
            document.head.append(script);
          }),
        url,
      );
    expect(await probe(`chrome-extension://${browser.extensionId}/share-ui.js`)).toBe(false);
    expect(await probe(`chrome-extension://${browser.extensionId}/detector.js`)).toBe(false);
  });

  it('answers privileged messages only to the extension’s own pages, not to a script on a web page', async () => {
    const share = fixture((f) => offered(f) && f.entry.expected?.generation === 'oc10', 'an ownCloud share');
    await page.goto(share.url);
    expect(await waitForHost(page)).toBe(true);
    // Speak from our content script's own world on the page: the most a web page could ever reach.
    const cdp = await browser.context.newCDPSession(page);
    const contexts: { id: number; origin: string; auxData?: { type?: string } }[] = [];
    cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
    await cdp.send('Runtime.enable');
    const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.includes(browser.extensionId));
    expect(world, 'the content script world').toBeDefined();
    const send = async (type: string, data: unknown) => {
      const message = JSON.stringify({ id: 1, type, data, timestamp: Date.now() });
      const { result } = await cdp.send('Runtime.evaluate', {
        contextId: world!.id,
        awaitPromise: true,
        returnByValue: true,
        expression: `new Promise((resolve) => chrome.runtime.sendMessage(${message}, resolve))`,
      });
      return result.value as { res?: unknown; err?: { message?: string } };
    };
    for (const [type, data] of [
      ['confirm:accounts', undefined],
      ['confirm:get', { tabId: 1 }],
      ['confirm:prepare', { tabId: 1, accountId: 'x' }],
      ['confirm:add', { tabId: 1, accountId: 'x', password: '' }],
      ['popup:requestConfirmation', { tabId: 1, claims: { kind: 'owncloud', isProtected: false, canFederate: true } }],
    ] as const) {
      const answer = await send(type, data);
      expect(answer.res, type).toBeUndefined();
      expect(answer.err?.message, type).toContain('Only the extension’s own pages');
    }
    await cdp.detach();
  });

  it('ignores clicks that the page script fakes', async () => {
    const share = fixture((f) => offered(f) && f.entry.expected?.generation === 'oc10', 'an ownCloud share');
    await page.goto(share.url);
    expect(await waitForHost(page)).toBe(true);
    let opened = false;
    const onPage = () => (opened = true);
    browser.context.on('page', onPage);
    await page.evaluate((sel) => {
      const host = document.querySelector(sel) as HTMLElement;
      host.click();
      host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      host.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    }, HOST_SELECTOR);
    await page.waitForTimeout(1500);
    browser.context.off('page', onPage);
    expect(opened).toBe(false);
  });
});
