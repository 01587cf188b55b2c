import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from './chromium';
import { waitForHost } from './page-tools';

/**
 * Adding a share the way a person does, shared by the browser tests and the mount benchmark. Each step is one
 * thing a person does; `actions` counts them, so the benchmark reports the count instead of assuming it.
 */
export interface FlowCounter {
  actions: number;
}

/** Connects an instance through the settings page and Login Flow v2 (login form, grant). */
export async function connectAccount(
  browser: ExtensionBrowser,
  cloudId: string,
  login: { user: string; password: string },
  counter: FlowCounter = { actions: 0 },
): Promise<void> {
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.getByLabel('Your cloud’s address or your cloud id').fill(cloudId);
  const loginTab = browser.context.waitForEvent('page');
  await options.getByRole('button', { name: 'Connect', exact: true }).click();
  const page = await loginTab;
  await page.waitForLoadState();
  await page.locator('#user').fill(login.user);
  await page.locator('#password').fill(login.password);
  await page.locator('#submit').click();
  await page.getByRole('button', { name: /grant/i }).click();
  counter.actions += 6; // type the cloud id, Connect, user name, password, Log in, Grant
  await options.getByText(`Connected: ${cloudId.replace('https://', '')}`).waitFor({ timeout: 15_000 });
  await options.close();
}

/** On a share page: click "Add to your cloud", (type the link password,) confirm with Add; returns the confirm page. */
export async function addFromSharePage(
  browser: ExtensionBrowser,
  url: string,
  options: { password?: string; counter?: FlowCounter; onConfirm?: () => void } = {},
): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(url);
  if (!(await waitForHost(page))) throw new Error(`No "Add to your cloud" button on ${url}`);
  const box = (await page.locator('[data-add-to-cloud]').boundingBox())!;
  const confirmOpened = browser.context.waitForEvent('page');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const confirm = await confirmOpened;
  await confirm.waitForLoadState();
  if (options.password !== undefined) await confirm.getByLabel('Share password').fill(options.password);
  const add = confirm.getByRole('button', { name: 'Add' });
  await add.waitFor();
  options.onConfirm?.();
  await add.click();
  if (options.counter) options.counter.actions += options.password === undefined ? 2 : 3;
  await confirm.getByTestId('outcome').waitFor({ timeout: 20_000 });
  await page.close();
  return confirm;
}
