import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call, ocs } from '../integration/helpers/http';
import { startNode, ROOT, type TestNode } from '../integration/helpers/node';
import { E2E_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from './support/chromium';
import { revokeAppPasswords } from './support/app-passwords';
import { connectAccount } from './support/flows';
import { SHARER_HOST } from './support/hosts';

/**
 * "Share from my cloud", end to end: alice connects her companion instance, opens the popup away from any share
 * page, browses her files, creates a password-protected link with an expiry, opens it as a visitor would,
 * revokes it; then shares a folder with bob's cloud id on the second node, where bob accepts it. Screenshots of
 * the popup and the options page (light and dark) go to docs/screenshots for the README.
 */
let alice: TestNode;
let bob: TestNode;
/** A second cloud of the same person, on the user's host (the e2e build's permission covers every port there). */
let carol: TestNode;
let browser: ExtensionBrowser;
let popup: Page;

const COMPANION_VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
const ALICE = { name: 'alice', password: 'alicepass123', displayName: 'Alice' };
const BOB = { name: 'bob', password: 'bobpass123', displayName: 'Bob' };
const CAROL = { name: 'carol', password: 'carolpass123', displayName: 'Carol' };
/** Chrome's popup is at most 600 px high: the main views must fit without scrolling. */
const POPUP = { width: 440, height: 600 };
// The README's screenshots are refreshed with UPDATE_SCREENSHOTS=1; ordinary runs write to .output, leaving the tree
// clean.
const SHOTS = path.join(ROOT, process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : '.output/screenshots');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

/** Nothing needs scrolling: the page is no higher than the popup. */
async function expectNoScrolling(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.scrollingElement!.scrollHeight)).toBeLessThanOrEqual(POPUP.height);
}

async function openPopup(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize(POPUP);
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  // A tab with the popup is no share page: the popup offers sharing from the cloud.
  await page.getByTestId('status').waitFor();
  expect(await page.getByTestId('status').textContent()).toBe('No public share link on this page.');
  return page;
}

/** Browses from "All files" to an item and chooses it. */
async function choose(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Share ${name}`, exact: true }).click();
  await page.getByTestId('chosen-item').filter({ hasText: name }).waitFor();
}

async function aliceShares(): Promise<
  { id: string; url?: string; expiration: string | null; share_with?: string; share_type: number }[]
> {
  const { body } = await ocs(`${alice.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'GET', {
    auth: [ALICE.name, ALICE.password],
  });
  return body.ocs.data as {
    id: string;
    url?: string;
    expiration: string | null;
    share_with?: string;
    share_type: number;
  }[];
}

beforeAll(async () => {
  [alice, bob, carol] = await Promise.all([
    startNode({
      users: [ALICE],
      files: { alice: { 'Reports/q4 <b>numbers<i> 😀.txt': 'revenue up', 'Photos/cat.txt': 'meow', 'Empty/': '' } },
    }),
    startNode({ host: SHARER_HOST, users: [BOB], files: { bob: { 'From Bob/hello.txt': 'hi from bob' } } }),
    startNode({ users: [CAROL], files: { carol: { 'Carol only/notes.txt': 'mine' } } }),
  ]);
  browser = await launchWithExtension(E2E_EXTENSION_DIR);
  // Before any cloud is connected, the settings greet a new user with the three steps.
  const welcome = await browser.context.newPage();
  await welcome.setViewportSize({ width: 900, height: 700 });
  await welcome.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await welcome.getByTestId('welcome').waitFor();
  await shot(welcome, 'options-welcome');
  await welcome.close();
  await connectAccount(browser, `alice@${alice.url}`, { user: ALICE.name, password: ALICE.password });
  popup = await openPopup();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([alice?.stop(), bob?.stop(), carol?.stop()]);
});

describe('sharing out from the popup', () => {
  it('browses the files one folder at a time, with a filter', async () => {
    await shot(popup, 'popup-share-out');
    await expectNoScrolling(popup);
    await popup.getByRole('button', { name: 'Choose a file or folder' }).click();
    await popup.getByRole('button', { name: 'Open folder Reports' }).click();
    await popup.getByTestId('folder').filter({ hasText: 'Reports' }).waitFor();
    // The name with markup is shown as text.
    await popup.getByTestId('file-row').filter({ hasText: 'q4 <b>numbers<i> 😀.txt' }).waitFor();
    expect(await popup.locator('.files b').count()).toBe(0);
    await popup.getByRole('button', { name: 'Up one folder' }).click();
    await popup.getByLabel('Filter by name').fill('pho');
    await expect.poll(() => popup.getByTestId('file-row').count()).toBe(1);
    expect(await popup.getByTestId('file-row').textContent()).toContain('Photos');
    await popup.getByLabel('Filter by name').fill('');
    await popup.getByRole('button', { name: 'Open folder Empty' }).click();
    await popup.getByText('This folder is empty.').waitFor();
    await popup.getByRole('button', { name: 'Up one folder' }).click();
    await popup.getByTestId('file-row').first().waitFor();
    await shot(popup, 'popup-browse');
    await expectNoScrolling(popup);
  });

  it('creates a link with password and expiry; the link page accepts the password; revoked, it is gone', async () => {
    await choose(popup, 'Reports');
    const password = await popup.getByLabel('Link password').inputValue();
    expect(password).toHaveLength(20);
    const expiry = await popup.getByLabel('Expiry date').inputValue();
    expect(expiry).toBe(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
    await popup.getByLabel('Label (only you see it)').fill('For the board');
    await shot(popup, 'popup-new-link');
    await expectNoScrolling(popup);
    await popup.getByRole('button', { name: 'Create link' }).click();
    const url = await popup.getByTestId('link-url').inputValue();
    expect(url).toMatch(new RegExp(`^${alice.url}/s/[A-Za-z0-9]{15}$`));
    await expectNoScrolling(popup);
    await popup.getByTestId('existing-shares').locator('summary').click();
    await popup.getByTestId('existing-link').waitFor();
    // The kind of link, and the date in the user's format (the browser's locale is en-US here).
    const day = new Date(`${expiry}T00:00:00Z`).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
    expect(await popup.getByTestId('existing-link').textContent()).toContain(
      `view only · password · Works until ${day}`,
    );
    await shot(popup, 'popup-link-ready');

    const created = (await aliceShares()).find((s) => s.url === url)!;
    expect(created.expiration).toBe(`${expiry} 00:00:00`);
    expect(created.share_with).toBeTruthy();

    // A visitor: the password page first, then the share.
    const visitor = await browser.context.newPage();
    await visitor.goto(url);
    await visitor.locator('#password').fill('wrong password');
    await visitor.locator('#password-submit').click();
    await visitor.getByText('The password is wrong. Try again.').waitFor();
    await visitor.locator('#password').fill(password);
    await visitor.locator('#password-submit').click();
    await visitor.getByText('q4 <b>numbers<i> 😀.txt').first().waitFor();
    await visitor.close();

    await popup.getByRole('button', { name: 'Revoke For the board' }).click();
    await popup.getByText('Revoked: the link no longer works.').waitFor();
    await popup.getByText('Not shared yet.').waitFor();
    expect((await call(url)).status).toBe(404);
  });

  it('shares a folder with a cloud id on the second node, where bob accepts it', async () => {
    await popup.getByRole('button', { name: 'Back to the files' }).click();
    await choose(popup, 'Photos');
    await popup.getByTestId('cloud-share').locator('summary').click();
    await popup.getByLabel('Cloud id of the person').fill('bob@not-a-cloud-id');
    await popup.getByLabel('Cloud id of the person').fill('bob');
    await popup.getByRole('button', { name: 'Share', exact: true }).click();
    await popup.getByText('That is not a cloud id').waitFor();
    await popup.getByLabel('Cloud id of the person').fill(`bob@${bob.url}`);
    await popup.getByRole('button', { name: 'Share', exact: true }).click();
    await popup.getByText(`Shared with bob@${bob.url}. They accept it in their cloud.`).waitFor({ timeout: 20_000 });
    await popup.getByTestId('existing-shares').locator('summary').click();
    await popup.getByTestId('existing-cloud-share').waitFor();

    const pending = await ocs(`${bob.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending`, 'GET', {
      auth: [BOB.name, BOB.password],
    });
    const share = (pending.body.ocs.data as { id: string | number; name: string; owner: string }[]).find(
      (s) => s.name === '/Photos',
    );
    expect(share).toMatchObject({ owner: 'alice' });
    const accepted = await ocs(
      `${bob.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending/${share!.id}`,
      'POST',
      { auth: [BOB.name, BOB.password] },
    );
    expect(accepted.status).toBe(200);
    const file = await call(`${bob.url}/remote.php/dav/files/bob/Photos/cat.txt`, 'GET', {
      auth: [BOB.name, BOB.password],
    });
    expect(await file.text()).toBe('meow');
    await shot(popup, 'popup-cloud-share');
  });

  it('says what to do when the server refuses: an item deleted meanwhile', async () => {
    await popup.getByRole('button', { name: 'Back to the files' }).click();
    await choose(popup, 'Empty');
    const gone = await call(`${alice.url}/remote.php/dav/files/alice/Empty`, 'DELETE', {
      auth: [ALICE.name, ALICE.password],
    });
    expect(gone.status).toBeLessThan(300);
    await popup.getByRole('button', { name: 'Create link' }).click();
    // The link form says why; the list of existing shares of the vanished item may say so too.
    const alert = popup.getByRole('form', { name: 'New public link' }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/doesn't exist|no longer in your cloud/);
  });

  it('is readable in dark mode', async () => {
    await popup.emulateMedia({ colorScheme: 'dark' });
    await popup.getByRole('button', { name: 'Back to the files' }).click();
    await popup.getByTestId('file-row').first().waitFor();
    await shot(popup, 'popup-dark');
    const background = await popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(17, 24, 39)');
    await popup.emulateMedia({ colorScheme: 'light' });
  });
});

/** Presses Tab until the focused element has this accessible name (label text or aria-label), like a keyboard user. */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
    });
    if (focused === name) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

describe('keyboard only', () => {
  it('chooses a folder and creates a link without a mouse', async () => {
    await popup.reload();
    await popup.getByRole('button', { name: 'Choose a file or folder' }).waitFor();
    await tabTo(popup, 'Choose a file or folder');
    await popup.keyboard.press('Enter');
    await popup.getByTestId('file-row').first().waitFor();
    await tabTo(popup, 'Share Photos');
    await popup.keyboard.press('Enter');
    await popup.getByTestId('chosen-item').filter({ hasText: 'Photos' }).waitFor();
    await tabTo(popup, 'Create link');
    await popup.keyboard.press('Enter');
    expect(await popup.getByTestId('link-url').inputValue()).toMatch(/\/s\//);
    // The result takes the focus, so the next key press copies.
    expect(await popup.evaluate(() => document.activeElement?.textContent)).toBe('Copy link');
  });
});

describe('the options page', () => {
  it('shows the defaults, the permission and what was detected about the instance', async () => {
    const options = await browser.context.newPage();
    await options.setViewportSize({ width: 900, height: 900 });
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.getByTestId('permission').filter({ hasText: 'Allowed to talk to this server' }).waitFor();
    // The companion reports its own version (status.php `companionVersion`), the one in package.json.
    await options
      .getByTestId('live-status')
      .filter({ hasText: `Online: Add to Cloud companion ${COMPANION_VERSION}` })
      .waitFor();
    expect(await options.getByTestId('instance').textContent()).toContain('sending: yes, receiving: yes');

    // A new default reaches the popup's form.
    await options.getByLabel('New links expire after (days)').fill('3');
    await options.getByLabel('Protect new links with a password').uncheck();
    await options.getByRole('button', { name: 'Save defaults' }).click();
    await options.getByText('Defaults saved.').waitFor();
    await shot(options, 'options');
    await options.emulateMedia({ colorScheme: 'dark' });
    await shot(options, 'options-dark');
    await options.close();

    await popup.reload();
    await popup.getByRole('button', { name: 'Choose a file or folder' }).click();
    await choose(popup, 'Photos');
    expect(await popup.getByLabel('Link password').count()).toBe(0);
    expect(await popup.getByLabel('Expiry date').inputValue()).toBe(
      new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
    );
  });
});

describe('links that do what their label says', () => {
  it('view and upload is read+create (5) and is listed as such', async () => {
    await popup.reload();
    await popup.getByRole('button', { name: 'Choose a file or folder' }).click();
    await choose(popup, 'Photos');
    await popup.getByLabel('View, download and upload').check();
    await popup.getByLabel('Label (only you see it)').fill('Inbox');
    await popup.getByRole('button', { name: 'Create link' }).click();
    const url = await popup.getByTestId('link-url').inputValue();
    expect((await aliceShares()).find((s) => s.url === url)).toMatchObject({ permissions: 5 });
    await expectNoScrolling(popup);
    await popup.getByTestId('existing-shares').locator('summary').click();
    await popup
      .getByTestId('existing-link')
      .filter({ hasText: 'Inbox' })
      .filter({ hasText: 'view and upload ·' })
      .waitFor();
    await popup.getByRole('button', { name: 'Revoke Inbox' }).click();
    await popup.getByText('Revoked: the link no longer works.').waitFor();
  });
});

describe('a share alice received', () => {
  it('is marked, explained, and offers no link', async () => {
    // bob shares a folder with alice's cloud id; alice accepts it on her cloud.
    const created = await ocs(`${bob.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
      auth: [BOB.name, BOB.password],
      form: { path: '/From Bob', shareType: '6', shareWith: `alice@${alice.url}`, permissions: '1' },
    });
    expect(created.status).toBe(200);
    const auth: [string, string] = [ALICE.name, ALICE.password];
    let pending: { id: string | number; name: string }[] = [];
    await expect
      .poll(
        async () => {
          pending = (
            await ocs(`${alice.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending`, 'GET', { auth })
          ).body.ocs.data as typeof pending;
          return pending.length;
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    expect(
      (
        await ocs(`${alice.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending/${pending[0]!.id}`, 'POST', {
          auth,
        })
      ).status,
    ).toBe(200);

    await popup.reload();
    await popup.getByRole('button', { name: 'Choose a file or folder' }).click();
    const row = popup.getByTestId('file-row').filter({ hasText: 'From Bob' });
    await row.getByText('shared with you').waitFor();
    // Her own folders are not marked.
    expect(await popup.getByTestId('file-row').filter({ hasText: 'Photos' }).getByText('shared with you').count()).toBe(
      0,
    );
    await choose(popup, 'From Bob');
    const note = popup.getByTestId('received-note');
    await note.waitFor();
    expect(await note.textContent()).toContain('only its owner can make a public link');
    // The companion does not let a mounted share be passed on (no R): nothing to send, and it says so.
    expect(await note.textContent()).toContain('does not allow passing it on');
    expect(await popup.getByRole('button', { name: 'Create link' }).count()).toBe(0);
    expect(await popup.getByLabel('Cloud id of the person').count()).toBe(0);
    await shot(popup, 'popup-received');
    await expectNoScrolling(popup);
  });
});

describe('sharing from any connected account', () => {
  it('offers every connected cloud and shares from the chosen one', async () => {
    await connectAccount(browser, `carol@${carol.url}`, { user: CAROL.name, password: CAROL.password });
    await popup.reload();
    const picker = popup.getByLabel('Share from', { exact: true });
    await picker.waitFor();
    // The default account first; each named by display name and cloud id.
    expect(await picker.locator('option').allTextContents()).toEqual([
      `Alice (alice@${alice.url})`,
      `Carol (carol@${carol.url})`,
    ]);
    await popup.getByRole('button', { name: 'Choose a file or folder' }).click();
    await popup.getByTestId('file-row').filter({ hasText: 'Photos' }).waitFor();
    await picker.selectOption({ label: `Carol (carol@${carol.url})` });
    await choose(popup, 'Carol only');
    await shot(popup, 'popup-accounts');
    await expectNoScrolling(popup);
    await popup.getByRole('button', { name: 'Create link' }).click();
    const url = await popup.getByTestId('link-url').inputValue();
    // The link lives on carol's cloud, not on the default one.
    expect(url.startsWith(`${carol.url}/s/`)).toBe(true);
    expect((await aliceShares()).some((s) => s.url === url)).toBe(false);
    expect((await call(url)).status).toBe(200);

    // Back to one cloud: carol's is disconnected (and its app password revoked) in the settings.
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options
      .getByTestId('account')
      .filter({ hasText: `carol@${carol.url}` })
      .getByRole('button', { name: 'Disconnect' })
      .click();
    await expect.poll(() => options.getByTestId('account').count()).toBe(1);
    await options.close();
    await popup.reload();
    await popup.getByRole('button', { name: 'Choose a file or folder' }).waitFor();
    expect(await popup.getByLabel('Share from', { exact: true }).count()).toBe(0);
  });
});

describe('when the app password was revoked', () => {
  it('tells the user to reconnect, in the popup and in the diagnostics', async () => {
    expect(await revokeAppPasswords(browser, alice.url, ALICE)).toBeGreaterThan(0);
    await popup.reload();
    await popup.getByRole('button', { name: 'Choose a file or folder' }).click();
    const alert = popup.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'Your cloud no longer accepts the app password (it may have been revoked). Reconnect this account in the settings.',
    );
    await popup.getByRole('button', { name: 'Try again' }).waitFor();

    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.getByTestId('instance').getByText('Reconnect this account in the settings').waitFor();
    // status.php needs no password: the server itself is still reported online.
    await options.getByTestId('live-status').filter({ hasText: 'Online' }).waitFor();
    await options.close();
  });
});
