import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../integration/helpers/http';
import type { TestNode } from '../integration/helpers/node';
import type { ExtensionBrowser } from './support/chromium';
import { clickOurButton } from './support/flows';
import { ALICE, BOB, createLink as linkOf } from './support/nodes';
import { waitForHost } from './support/page-tools';
import { closeAll, launchConnectedToBob, startAliceAndBob } from './support/setup';

/**
 * A German browser reads German only: the outcome of an add — also a failure deep in the mount pipeline — comes
 * as a code from the background and is worded by the confirmation page in the browser's language.
 */
/** Words that would give away an English sentence inside the German UI. */
const ENGLISH = /\b(the|your|could|not|share|added|did|answer|link)\b/i;

let alice: TestNode;
let bob: TestNode;
let browser: ExtensionBrowser;

const createLink = (path: string) => linkOf(alice, ALICE, path);

/** Clicks the page's button and "Hinzufügen" in the confirmation; returns the confirmation's outcome text. */
async function addFromSharePage(link: string): Promise<{ outcome: string; heading: string }> {
  const page = await browser.context.newPage();
  await page.goto(link);
  expect(await waitForHost(page)).toBe(true);
  const confirm = await clickOurButton(browser, page);
  await confirm.getByRole('button', { name: 'Hinzufügen' }).click();
  const outcome = (await confirm.getByTestId('outcome').textContent({ timeout: 20_000 })) ?? '';
  const heading = (await confirm.getByRole('heading', { level: 1 }).textContent()) ?? '';
  await confirm.close();
  await page.close();
  return { outcome, heading };
}

beforeAll(async () => {
  [alice, bob] = await startAliceAndBob({ 'Urlaub/foto.txt': 'sonnig' });
  // Connecting, in German: the settings page's own labels.
  browser = await launchConnectedToBob(bob, 'de');
});

afterAll(() => closeAll(browser, alice, bob));

describe('in a German browser', () => {
  it('tells the outcome of an add in German', async () => {
    const { outcome, heading } = await addFromSharePage(await createLink('/Urlaub'));
    expect(heading).toBe('Zu deiner Cloud hinzugefügt');
    expect(outcome).toBe('Als „/Urlaub“ zu deiner Cloud hinzugefügt.');
    const file = await call(`${bob.url}/remote.php/dav/files/bob/Urlaub/foto.txt`, 'GET', {
      auth: [BOB.name, BOB.password],
    });
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
