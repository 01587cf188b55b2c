import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from './chromium';
import { HOST_SELECTOR, waitForHost } from './page-tools';

/**
 * Adding a share the way a person does, shared by the browser tests and the mount benchmark. Each step is one
 * thing a person does; `actions` counts them, so the benchmark reports the count instead of assuming it.
 */
export interface FlowCounter {
  actions: number;
}

/** The settings page's words the connect flow looks for, in the browser languages the tests run. */
const SETTINGS_WORDS = {
  en: { address: 'Your cloud’s address or your cloud id', connect: 'Connect', connected: 'Connected:' },
  de: { address: 'Adresse deiner Cloud oder deine Cloud-ID', connect: 'Verbinden', connected: 'Verbunden:' },
};

/** Connects an instance through the settings page and Login Flow v2 (login form, grant), in the browser's `lang`. */
export async function connectAccount(
  browser: ExtensionBrowser,
  cloudId: string,
  login: { user: string; password: string },
  counter: FlowCounter = { actions: 0 },
  lang: keyof typeof SETTINGS_WORDS = 'en',
): Promise<void> {
  const words = SETTINGS_WORDS[lang];
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.getByLabel(words.address).fill(cloudId);
  const loginTab = browser.context.waitForEvent('page');
  await options.getByRole('button', { name: words.connect, exact: true }).click();
  await signInToLoginFlow(await loginTab, login);
  counter.actions += 6; // type the cloud id, Connect, user name, password, Log in, Grant
  await options.getByText(`${words.connected} ${cloudId.replace('https://', '')}`).waitFor({ timeout: 15_000 });
  await options.close();
}

/** In the Login Flow v2 tab the settings page opened: sign in and grant the extension its app password. */
export async function signInToLoginFlow(page: Page, login: { user: string; password: string }): Promise<void> {
  await page.waitForLoadState();
  await page.locator('#user').fill(login.user);
  await page.locator('#password').fill(login.password);
  await page.locator('#submit').click();
  await page.getByRole('button', { name: /grant/i }).click();
}

/**
 * On an open share page: a real (trusted) click in the middle of our button's host element — the button inside the
 * closed shadow root gets it; returns the window it opens (the confirmation, or bob's files for "In your cloud ✓ ·
 * Open").
 */
export async function clickOurButton(browser: ExtensionBrowser, page: Page): Promise<Page> {
  const box = (await page.locator(HOST_SELECTOR).boundingBox())!;
  const confirmOpened = browser.context.waitForEvent('page');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  return confirmOpened;
}

/** On a share page: click "Add to your cloud", (type the link password,) confirm with Add; returns the confirm page. */
export async function addFromSharePage(
  browser: ExtensionBrowser,
  url: string,
  options: { password?: string; counter?: FlowCounter; onConfirm?: () => void; readMs?: number } = {},
): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(url);
  if (!(await waitForHost(page))) throw new Error(`No "Add to your cloud" button on ${url}`);
  const confirm = await clickOurButton(browser, page);
  await confirm.waitForLoadState();
  if (options.password !== undefined) await confirm.getByLabel('Share password').fill(options.password);
  const add = confirm.getByRole('button', { name: 'Add' });
  await add.waitFor();
  // A person reads the window before clicking; the benchmark says how long it assumes.
  if (options.readMs) await confirm.waitForTimeout(options.readMs);
  options.onConfirm?.();
  await add.click();
  if (options.counter) options.counter.actions += options.password === undefined ? 2 : 3;
  await confirm.getByTestId('outcome').waitFor({ timeout: 20_000 });
  await page.close();
  return confirm;
}
