import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ocs } from '../integration/helpers/http';
import { startNode, type TestNode } from '../integration/helpers/node';
import { E2E_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from './support/chromium';
import { SHARER_HOST } from './support/hosts';
import { waitForHost } from './support/page-tools';

/**
 * A German browser reads German only: the outcome of an add — also a failure deep in the mount pipeline — comes
 * as a code from the background and is worded by the confirmation page in the browser's language.
 */
const ALICE = { name: 'alice', password: 'alicepass123', displayName: 'Alice' };
const BOB = { name: 'bob', password: 'bobpass123', displayName: 'Bob' };
/** Words that would give away an English sentence inside the German UI. */
const ENGLISH = /\b(the|your|could|not|share|added|did|answer|link)\b/i;

let alice: TestNode;
let bob: TestNode;
let browser: ExtensionBrowser;

async function createLink(path: string): Promise<string> {
  const { body } = await ocs(`${alice.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
    auth: [ALICE.name, ALICE.password],
    form: { path, shareType: '3', permissions: '1' },
  });
  return (body.ocs.data as { url: string }).url;
}

/** Clicks the page's button and "Hinzufügen" in the confirmation; returns the confirmation's outcome text. */
async function addFromSharePage(link: string): Promise<{ outcome: string; heading: string }> {
  const page = await browser.context.newPage();
  await page.goto(link);
  expect(await waitForHost(page)).toBe(true);
  const box = (await page.locator('[data-add-to-cloud]').boundingBox())!;
  const opened = browser.context.waitForEvent('page');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const confirm = await opened;
  await confirm.getByRole('button', { name: 'Hinzufügen' }).click();
  const outcome = (await confirm.getByTestId('outcome').textContent({ timeout: 20_000 })) ?? '';
  const heading = (await confirm.getByRole('heading', { level: 1 }).textContent()) ?? '';
  await confirm.close();
  await page.close();
  return { outcome, heading };
}

beforeAll(async () => {
  [alice, bob] = await Promise.all([
    startNode({ host: SHARER_HOST, users: [ALICE], files: { alice: { 'Urlaub/foto.txt': 'sonnig' } } }),
    startNode({ users: [BOB] }),
  ]);
  browser = await launchWithExtension(E2E_EXTENSION_DIR, { lang: 'de' });
  // Connecting, in German: the settings page's own labels.
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.getByLabel('Adresse deiner Cloud oder deine Cloud-ID').fill(`bob@${bob.url}`);
  const loginTab = browser.context.waitForEvent('page');
  await options.getByRole('button', { name: 'Verbinden' }).click();
  const login = await loginTab;
  await login.waitForLoadState();
  await login.locator('#user').fill(BOB.name);
  await login.locator('#password').fill(BOB.password);
  await login.locator('#submit').click();
  await login.getByRole('button', { name: /grant/i }).click();
  await options.getByText('Verbunden:').waitFor({ timeout: 15_000 });
  await options.close();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([alice?.stop(), bob?.stop()]);
});

describe('in a German browser', () => {
  it('tells the outcome of an add in German', async () => {
    const { outcome, heading } = await addFromSharePage(await createLink('/Urlaub'));
    expect(heading).toBe('Zu deiner Cloud hinzugefügt');
    expect(outcome).toBe('Als „/Urlaub“ zu deiner Cloud hinzugefügt.');
    const file = await call(`${bob.url}/remote.php/dav/files/bob/Urlaub/foto.txt`, 'GET', { auth: [BOB.name, BOB.password] });
    expect(await file.text()).toBe('sonnig');
  });

  it('tells a failure from deep in the pipeline in German, naming the server, with no English in it', async () => {
    const link = await createLink('/Urlaub');
    await bob.kill9();
    try {
      const { outcome } = await addFromSharePage(link);
      expect(outcome).toBe(
        `Die Freigabe konnte nicht hinzugefügt werden: Deine Cloud bob@${bob.url} hat nicht geantwortet. Prüfe die Adresse und deine Verbindung und versuche es erneut.`,
      );
      expect(outcome.replace(`bob@${bob.url}`, '')).not.toMatch(ENGLISH);
    } finally {
      await bob.restart();
    }
  });
});
