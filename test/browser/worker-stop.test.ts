import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ocs } from '../integration/helpers/http';
import type { TestNode } from '../integration/helpers/node';
import { stopServiceWorker, type ExtensionBrowser } from './support/chromium';
import { clickOurButton } from './support/flows';
import { ALICE, BOB, createLink } from './support/nodes';
import { waitForHost } from './support/page-tools';
import { closeAll, launchConnectedToBob, startAliceAndBob } from './support/setup';

/**
 * MV3 may stop the background service worker at any moment. Stopped in the middle of an add, it must leave no
 * half-done state: the confirmation says it did not finish, and trying again ends with the share mounted once.
 */
let alice: TestNode;
let bob: TestNode;
let browser: ExtensionBrowser;

beforeAll(async () => {
  [alice, bob] = await startAliceAndBob({ 'Album/a.txt': 'a' });
  browser = await launchConnectedToBob(bob);
});

afterAll(() => closeAll(browser, alice, bob));

describe('the service worker stopped mid-operation', () => {
  it('reports the interruption, and a retry mounts the share exactly once', async () => {
    const page = await browser.context.newPage();
    await page.goto(await createLink(alice, ALICE, '/Album'));
    expect(await waitForHost(page)).toBe(true);
    const confirm = await clickOurButton(browser, page);
    const add = confirm.getByRole('button', { name: 'Add' });
    await add.click();
    await stopServiceWorker(browser);

    const outcome = confirm.getByTestId('outcome');
    await outcome.waitFor({ timeout: 20_000 });
    const first = (await outcome.textContent()) ?? '';
    if (first.startsWith('Could not add the share')) {
      expect(first).toContain('the extension restarted');
      // The worker died before answering: the user tries again; the pending confirmation survived in session storage.
      await add.click();
      await expect
        .poll(() => outcome.textContent(), { timeout: 20_000 })
        .toMatch(/^(Added to your cloud|This share is already in your cloud)/);
    }
    const { body: shares } = await ocs(`${bob.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares`, 'GET', {
      auth: [BOB.name, BOB.password],
    });
    const { body: waiting } = await ocs(
      `${bob.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending`,
      'GET',
      { auth: [BOB.name, BOB.password] },
    );
    const all = [...(shares.ocs.data as { name: string }[]), ...(waiting.ocs.data as { name: string }[])];
    expect(all.filter((s) => s.name.startsWith('/Album'))).toHaveLength(1);
  });
});
