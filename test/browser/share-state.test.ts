import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestNode } from '../integration/helpers/node';
import type { ExtensionBrowser } from './support/chromium';
import { clickOurButton as clickOn } from './support/flows';
import { ALICE, BOB, createLink as linkOf } from './support/nodes';
import { accessibleButtons, waitForHost } from './support/page-tools';
import { closeAll, launchConnectedToBob, startAliceAndBob } from './support/setup';

/**
 * The state where the user is: after an add, and on a return visit, the share page's button says "In your cloud ✓ ·
 * Open" and opens bob's files app at the added folder; the popup's history opens, retries and removes entries.
 * In the world's topology: alice's server on the sharer host, bob's instance on the instance host.
 */
let alice: TestNode;
let bob: TestNode;
let browser: ExtensionBrowser;

const IN_CLOUD = 'In your cloud ✓ · Open';

const createLink = (path: string, extra: Record<string, string> = {}) => linkOf(alice, ALICE, path, extra);

/** Clicks our button on the page and waits for the window it opens to load. */
async function clickOurButton(page: Page): Promise<Page> {
  const next = await clickOn(browser, page);
  await next.waitForLoadState();
  return next;
}

async function buttonSays(page: Page, name: string, timeoutMs = 5000): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await page.waitForTimeout(200)) {
    if ((await accessibleButtons(browser.context, page, name)) === 1) return true;
  }
  return false;
}

/** On the share page: click the button, (type the password,) Add; the share page stays open. */
async function addKeepingPage(link: string, password?: string): Promise<{ page: Page; outcome: string }> {
  const page = await browser.context.newPage();
  await page.goto(link);
  expect(await waitForHost(page)).toBe(true);
  expect(await buttonSays(page, 'Add to your cloud')).toBe(true);
  const confirm = await clickOurButton(page);
  if (password !== undefined) await confirm.getByLabel('Share password').fill(password);
  await confirm.getByRole('button', { name: 'Add' }).click();
  const outcome = (await confirm.getByTestId('outcome').textContent({ timeout: 20_000 })) ?? '';
  await confirm.close();
  return { page, outcome };
}

async function openPopup(): Promise<Page> {
  const popup = await browser.context.newPage();
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.getByRole('heading', { name: 'Recently added' }).waitFor();
  return popup;
}

beforeAll(async () => {
  [alice, bob] = await startAliceAndBob({
    'Shared Folder/hello.txt': 'hello from alice',
    'Protected/secret.txt': 'psst',
  });
  browser = await launchConnectedToBob(bob);
  // bob is signed in to his own cloud in this browser, as a daily user is: "Open" then shows his files.
  const login = await browser.context.newPage();
  await login.goto(`${bob.url}/index.php/login`);
  await login.locator('#user').fill(BOB.name);
  await login.locator('#password').fill(BOB.password);
  await Promise.all([login.waitForURL(/apps\/files/), login.locator('#submit').click()]);
  // This tab stays open: when its last window closes, Chromium ends the browsing session and drops session cookies.
});

afterAll(() => closeAll(browser, alice, bob));

describe('the share page’s button shows the state', () => {
  let link: string;

  it('changes to "In your cloud ✓ · Open" on the open page once the add is confirmed', async () => {
    link = await createLink('/Shared Folder');
    const { page, outcome } = await addKeepingPage(link);
    expect(outcome).toBe('Added to your cloud as “/Shared Folder”.');
    expect(await buttonSays(page, IN_CLOUD)).toBe(true);
    expect(await accessibleButtons(browser.context, page, 'Add to your cloud')).toBe(0);
    // The page itself learns nothing about bob's instance: not in its DOM, not in its text.
    expect(await page.content()).not.toContain(bob.url);
    await page.close();
  });

  it('says so on a return visit, and Open shows bob’s files app at the added folder', async () => {
    const page = await browser.context.newPage();
    await page.goto(link);
    expect(await waitForHost(page)).toBe(true);
    expect(await buttonSays(page, IN_CLOUD)).toBe(true);
    const files = await clickOurButton(page);
    expect(files.url()).toBe(`${bob.url}/index.php/apps/files/?dir=%2FShared%20Folder`);
    // The folder itself, not the top of bob's files.
    await files.getByText('hello.txt').waitFor();
    await files.close();
    await page.close();
  });

  it('offers adding on another of alice’s links (the state is per share)', async () => {
    const page = await browser.context.newPage();
    await page.goto(await createLink('/Protected', { password: 'linkpass123' }));
    expect(await waitForHost(page)).toBe(true);
    await page.waitForTimeout(500);
    expect(await accessibleButtons(browser.context, page, 'Add to your cloud')).toBe(1);
    expect(await accessibleButtons(browser.context, page, IN_CLOUD)).toBe(0);
    await page.close();
  });
});

describe('the popup’s history', () => {
  it('opens an added share at its folder', async () => {
    const popup = await openPopup();
    const entry = popup.getByTestId('history-entry').filter({ hasText: 'Shared Folder' }).first();
    await expect(entry.textContent()).resolves.toContain('added');
    const opened = browser.context.waitForEvent('page');
    await entry.getByRole('button', { name: 'Open: Shared Folder' }).click();
    const files = await opened;
    await files.waitForLoadState();
    expect(files.url()).toBe(`${bob.url}/index.php/apps/files/?dir=%2FShared%20Folder`);
    await files.getByText('hello.txt').waitFor();
    await files.close();
    await popup.close().catch(() => undefined);
  });

  it('marks a failed add, retries it by opening its link again, and removes it', async () => {
    const link = await createLink('/Protected', { password: 'linkpass123' });
    const { page, outcome } = await addKeepingPage(link, 'wrong-password');
    expect(outcome).toContain('The share password is wrong');
    await page.close();

    const popup = await openPopup();
    const failed = popup.getByTestId('history-entry').first();
    expect(await failed.getByTestId('history-result').textContent()).toBe('⚠ failed');
    const retried = browser.context.waitForEvent('page');
    await failed.getByRole('button', { name: /^Retry: / }).click();
    const share = await retried;
    await share.waitForLoadState();
    // The same link, so the page flow runs again: its button offers adding.
    expect(share.url().startsWith(link)).toBe(true);
    expect(await waitForHost(share)).toBe(true);
    expect(await buttonSays(share, 'Add to your cloud')).toBe(true);
    await share.close();

    const again = await openPopup();
    const before = await again.getByTestId('history-entry').count();
    await again
      .getByTestId('history-entry')
      .first()
      .getByRole('button', { name: /^Remove: / })
      .click();
    await expect.poll(() => again.getByTestId('history-entry').count()).toBe(before - 1);
    // Removed for good: a fresh popup does not show it either, and the failed add is no longer the newest.
    const fresh = await openPopup();
    expect(await fresh.getByTestId('history-entry').count()).toBe(before - 1);
    expect(await fresh.getByTestId('history-entry').first().getByTestId('history-result').textContent()).not.toBe(
      '⚠ failed',
    );
    await Promise.all([again.close(), fresh.close()]);
  });

  it('fits Chrome’s 600 px popup with five entries and their actions', async () => {
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 440, height: 600 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    // Five long entries, written where the popup reads them (the extension's own IndexedDB).
    await popup.evaluate(async () => {
      const entries = Array.from({ length: 5 }, (_, i) => ({
        id: `fit-${i}`,
        at: Date.UTC(2026, 10, 30, 12, i),
        sharerOrigin: 'https://files.example-university.edu',
        name: `Quarterly report folder ${i}`,
        accountId: 'none',
        accountLabel: 'bob@cloud.example.org',
        result: i % 2 ? 'mounted' : 'failed',
        ...(i % 2
          ? { path: '/x' }
          : { message: 'The share password is wrong. Check it with the person who shared it.' }),
      }));
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('add-to-cloud-history');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      await new Promise((resolve, reject) => {
        const tx = db.transaction('history', 'readwrite');
        tx.objectStore('history').put(entries, 'entries');
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
    });
    await popup.reload();
    await expect.poll(() => popup.getByTestId('history-entry').count()).toBe(5);
    expect(await popup.evaluate(() => document.scrollingElement!.scrollHeight)).toBeLessThanOrEqual(600);
    // Each entry's actions are there and reachable.
    expect(await popup.getByRole('button', { name: /^Remove: / }).count()).toBe(5);
    await popup.close();
  });
});
