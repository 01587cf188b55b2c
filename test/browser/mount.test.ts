import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ocs } from '../integration/helpers/http';
import type { TestNode } from '../integration/helpers/node';
import { E2E_EXTENSION_DIR, type ExtensionBrowser } from './support/chromium';
import { moveAppPasswordsToStorageLocal, revokeAppPasswords, storedAppPasswords } from './support/app-passwords';
import { addFromSharePage as addFrom, clickOurButton } from './support/flows';
import { INSTANCE_HOST, SHARER_HOST } from './support/hosts';
import { ALICE, BOB, createLink as linkOf } from './support/nodes';
import { waitForHost } from './support/page-tools';
import { closeAll, launchConnectedToBob, startAliceAndBob } from './support/setup';

/**
 * The product's main job, end to end: bob connects his companion instance through Login Flow v2, opens a
 * public link of alice's node, clicks "Add to your cloud", confirms in the extension window — and the share
 * is in bob's files, checked through bob's WebDAV.
 */
let alice: TestNode;
let bob: TestNode;
let browser: ExtensionBrowser;

const createLink = (path: string, extra: Record<string, string> = {}) => linkOf(alice, ALICE, path, extra);

async function bobHas(path: string): Promise<number> {
  const response = await call(
    `${bob.url}/remote.php/dav/files/bob/${path.split('/').map(encodeURIComponent).join('/')}`,
    'PROPFIND',
    {
      auth: [BOB.name, BOB.password],
      headers: { Depth: '1' },
    },
  );
  return response.status;
}

/** Click "Add to your cloud" on the share page, (type the password,) confirm with Add; the confirm window. */
const addFromSharePage = (url: string, password?: string) => addFrom(browser, url, { password });

beforeAll(async () => {
  [alice, bob] = await startAliceAndBob({
    'Shared Folder/hello.txt': 'hello from alice',
    'Protected/secret.txt': 'psst',
    'Gone Folder/': '',
    'Older Build/old.txt': 'from before the move',
  });
  browser = await launchConnectedToBob(bob);
});

afterAll(() => closeAll(browser, alice, bob));

describe('adding a public share to your own cloud', () => {
  it('runs in the world’s topology: the build holds a permission for bob’s instance only, never for the sharer', () => {
    const manifest = JSON.parse(readFileSync(path.join(E2E_EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
      host_permissions?: string[];
    };
    expect(manifest.host_permissions).toEqual([`http://${INSTANCE_HOST}/*`]);
    expect(new URL(bob.url).hostname).toBe(INSTANCE_HOST);
    expect(new URL(alice.url).hostname).toBe(SHARER_HOST);
  });

  it('mounts alice’s link in bob’s files after one click and one confirmation', async () => {
    const link = await createLink('/Shared Folder');
    expect(await bobHas('Shared Folder')).toBe(404);
    const confirm = await addFromSharePage(link);
    expect(await confirm.getByTestId('outcome').textContent()).toBe('Added to your cloud as “/Shared Folder”.');
    // The heading says what happened; Close closes the window.
    expect(await confirm.getByRole('heading', { level: 1 }).textContent()).toBe('Added to your cloud');
    expect(await bobHas('Shared Folder')).toBe(207);
    const file = await call(`${bob.url}/remote.php/dav/files/bob/Shared%20Folder/hello.txt`, 'GET', {
      auth: [BOB.name, BOB.password],
    });
    expect(await file.text()).toBe('hello from alice');
    const closed = confirm.waitForEvent('close');
    // The window may be gone before the click has finished its own bookkeeping: that is the success we wait for.
    await confirm
      .getByRole('button', { name: 'Close' })
      .click()
      .catch((error: unknown) => {
        if (!confirm.isClosed()) throw error;
      });
    await closed;
    expect(confirm.isClosed()).toBe(true);
  });

  it('says so when the share is already there, and mounts nothing twice', async () => {
    const link = await createLink('/Shared Folder');
    const before = await ocs(`${bob.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares`, 'GET', {
      auth: [BOB.name, BOB.password],
    });
    const confirm = await addFromSharePage(link);
    expect(await confirm.getByTestId('outcome').textContent()).toContain('already in your cloud');
    expect(await confirm.getByRole('heading', { level: 1 }).textContent()).toBe('Already in your cloud');
    const after = await ocs(`${bob.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares`, 'GET', {
      auth: [BOB.name, BOB.password],
    });
    expect((after.body.ocs.data as unknown[]).length).toBe((before.body.ocs.data as unknown[]).length);
    await confirm.close();
  });

  it('keeps working with an app password an earlier build left in storage.local, and moves it out of there', async () => {
    const before = await storedAppPasswords(browser);
    expect(before.inStorageLocal).toEqual([]);
    expect(await moveAppPasswordsToStorageLocal(browser)).toBeGreaterThan(0);
    expect((await storedAppPasswords(browser)).inIndexedDb).toEqual({});

    const confirm = await addFromSharePage(await createLink('/Older Build'));
    expect(await confirm.getByTestId('outcome').textContent()).toBe('Added to your cloud as “/Older Build”.');
    expect(await bobHas('Older Build')).toBe(207);
    await confirm.close();

    expect(await storedAppPasswords(browser)).toEqual(before);
  });

  it('asks for the password of a protected link, refuses a wrong one, accepts the right one', async () => {
    // The visitor does not unlock the page: the button on the password page is enough, the extension asks.
    const link = await createLink('/Protected', { password: 'linkpass123' });
    const wrong = await addFromSharePage(link, 'not-the-password');
    expect(await wrong.getByTestId('outcome').textContent()).toBe(
      'Could not add the share: The share password is wrong. Check it with the person who shared it.',
    );
    // The cursor is back in the password field, the wrong password selected, to type the right one over it.
    const field = wrong.getByLabel('Share password');
    await expect.poll(() => field.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await field.evaluate((input: HTMLInputElement) => [input.selectionStart, input.selectionEnd])).toEqual([
      0,
      'not-the-password'.length,
    ]);
    expect(await wrong.getByRole('heading', { level: 1 }).textContent()).toBe('Add this share to your cloud?');
    expect(await bobHas('Protected')).toBe(404);
    await wrong.close();

    const right = await addFromSharePage(link, 'linkpass123');
    expect(await right.getByTestId('outcome').textContent()).toBe('Added to your cloud as “/Protected”.');
    expect(await bobHas('Protected')).toBe(207);
    await right.close();
  });
});

describe('when things go wrong', () => {
  it('explains a link that was deleted since the page was opened, and adds nothing', async () => {
    const link = await createLink('/Gone Folder');
    const page = await browser.context.newPage();
    await page.goto(link);
    expect(await waitForHost(page)).toBe(true);
    const id = await linkId(link);
    expect(
      (
        await ocs(`${alice.url}/ocs/v2.php/apps/files_sharing/api/v1/shares/${id}`, 'DELETE', {
          auth: [ALICE.name, ALICE.password],
        })
      ).status,
    ).toBe(200);
    const confirm = await clickOurButton(browser, page);
    await confirm.getByRole('button', { name: 'Add' }).click();
    const outcome = await confirm.getByTestId('outcome').textContent({ timeout: 20_000 });
    expect(outcome).toBe(
      `Could not add the share: This link does not exist any more on ${alice.url} (deleted or expired), or its server does not let it be added to another cloud.`,
    );
    expect(await bobHas('Gone Folder')).toBe(404);
    await confirm.close();
    await page.close();
  });

  it('tells the user to reconnect when the app password was revoked', async () => {
    const link = await createLink('/Protected', { password: 'linkpass123' });
    // Revoke every app password of bob on the server, as "Devices & sessions" would.
    const revoked = await revokeAppPasswords(browser, bob.url, BOB);
    expect(revoked).toBeGreaterThan(0);
    const confirm = await addFromSharePage(link, 'linkpass123');
    expect(await confirm.getByTestId('outcome').textContent()).toContain('Reconnect this account');
    const settings = browser.context.waitForEvent('page');
    await confirm.getByRole('button', { name: 'Reconnect' }).click();
    const options = await settings;
    await options.waitForLoadState();
    expect(options.url()).toBe(`chrome-extension://${browser.extensionId}/options.html`);
    await options.close();
    await confirm.close();
  });

  it('says the instance cannot be reached when it is down, and loses nothing', async () => {
    const link = await createLink('/Shared Folder');
    await bob.kill9();
    try {
      const confirm = await addFromSharePage(link);
      // The failure names the server that failed: bob's own cloud, by his cloud id.
      expect(await confirm.getByTestId('outcome').textContent()).toBe(
        `Could not add the share: Your cloud bob@${bob.url} did not answer. Check the address and your connection, then try again.`,
      );
      await confirm.close();
    } finally {
      await bob.restart();
    }
    expect(await bobHas('Shared Folder')).toBe(207);
  });
});

async function linkId(link: string): Promise<string> {
  const { body } = await ocs(`${alice.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'GET', {
    auth: [ALICE.name, ALICE.password],
  });
  const token = link.split('/s/')[1];
  const share = (body.ocs.data as { id: string | number; token: string }[]).find((s) => s.token === token);
  if (!share) throw new Error(`no share with token of ${link}`);
  return String(share.id);
}
