import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ocs } from '../integration/helpers/http';
import { startNode, type TestNode } from '../integration/helpers/node';
import { E2E_EXTENSION_DIR, launchWithExtension, stopServiceWorker, type ExtensionBrowser } from './support/chromium';
import { connectAccount } from './support/flows';
import { SHARER_HOST } from './support/hosts';
import { waitForHost } from './support/page-tools';

/**
 * MV3 may stop the background service worker at any moment. Stopped in the middle of an add, it must leave no
 * half-done state: the confirmation says it did not finish, and trying again ends with the share mounted once.
 */
let alice: TestNode;
let bob: TestNode;
let browser: ExtensionBrowser;
const ALICE = { name: 'alice', password: 'alicepass123' };
const BOB = { name: 'bob', password: 'bobpass123' };

beforeAll(async () => {
  [alice, bob] = await Promise.all([startNode({ host: SHARER_HOST, users: [ALICE], files: { alice: { 'Album/a.txt': 'a' } } }), startNode({ users: [BOB] })]);
  browser = await launchWithExtension(E2E_EXTENSION_DIR);
  await connectAccount(browser, `bob@${bob.url}`, { user: BOB.name, password: BOB.password });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([alice?.stop(), bob?.stop()]);
});

describe('the service worker stopped mid-operation', () => {
  it('reports the interruption, and a retry mounts the share exactly once', async () => {
    const { body } = await ocs(`${alice.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
      auth: [ALICE.name, ALICE.password],
      form: { path: '/Album', shareType: '3', permissions: '1' },
    });
    const page = await browser.context.newPage();
    await page.goto((body.ocs.data as { url: string }).url);
    expect(await waitForHost(page)).toBe(true);
    const box = (await page.locator('[data-add-to-cloud]').boundingBox())!;
    const opened = browser.context.waitForEvent('page');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const confirm = await opened;
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
      await expect.poll(() => outcome.textContent(), { timeout: 20_000 }).toMatch(/^(Added to your cloud|This share is already in your cloud)/);
    }
    const { body: shares } = await ocs(`${bob.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares`, 'GET', { auth: [BOB.name, BOB.password] });
    const { body: waiting } = await ocs(`${bob.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending`, 'GET', { auth: [BOB.name, BOB.password] });
    const all = [...(shares.ocs.data as { name: string }[]), ...(waiting.ocs.data as { name: string }[])];
    expect(all.filter((s) => s.name.startsWith('/Album'))).toHaveLength(1);
  });
});
