import type { Browser } from 'puppeteer-core';
import type { XDisplay } from './xdisplay';

/**
 * The main flow in Firefox with the release build (no host permission from install on), as a person does it:
 * Firefox hides its extension pages and prompts from WebDriver BiDi, so those steps use the keyboard, the mouse and
 * the clipboard on a virtual display; the web pages (share page, Login Flow) are driven by puppeteer-core.
 */

/** Where the address field sits on the settings page in a 1280×900 window (no accounts yet: below the welcome steps). */
const ADDRESS_FIELD = { x: 640, y: 423 };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/**
 * On the settings page first install opened: types the cloud id; the server is checked first, then the host
 * permission is asked for with "Allow and continue" (which has the focus), Firefox's prompt is allowed, then the
 * user signs in through Login Flow v2.
 */
export async function connectInFirefox(
  x: XDisplay,
  firefox: Browser,
  cloudId: string,
  login: { name: string; password: string },
): Promise<void> {
  x.focusWindow('Add to Cloud settings');
  await sleep(500);
  x.click(ADDRESS_FIELD.x, ADDRESS_FIELD.y);
  x.type(cloudId);
  x.key('Return');
  await sleep(1500);
  x.key('Return'); // "Allow and continue"
  await sleep(1500);
  x.key('alt+a'); // "Allow" in Firefox's permission prompt
  const page = await until(
    async () => (await firefox.pages()).find((p) => p.url().includes('/login/v2/flow/')),
    15_000,
    'the Login Flow tab',
  );
  await page.type('#user', login.name);
  await page.type('#password', login.password);
  await Promise.all([page.waitForNavigation(), page.click('#submit')]);
  await Promise.all([page.waitForNavigation().catch(() => undefined), page.click('button[type=submit]')]);
  // The settings page closes the Login Flow tab once it has the app password.
  await until(
    async () => ((await firefox.pages()).some((p) => p.url().includes('/login/v2/')) ? undefined : true),
    15_000,
    'the login to finish',
  );
}

/**
 * Opens the share page, clicks "Add to your cloud", (types the link password into the focused field,) presses
 * Enter, and returns the confirmation's text once it shows an outcome.
 */
export async function addInFirefox(x: XDisplay, firefox: Browser, link: string, password?: string): Promise<string> {
  const page = await firefox.newPage();
  await page.goto(link);
  const host = await page.waitForFunction(() => document.querySelector('[data-add-to-cloud]'), {
    timeout: 10_000,
    polling: 100,
  });
  const box = (await host.asElement()!.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  // The confirmation window: its first action (the password field, else Add) has the focus.
  x.focusWindow('Add to your cloud');
  await sleep(500);
  if (password !== undefined) x.type(password);
  x.key('Return');
  const outcome = await confirmationOutcome(x);
  x.key('ctrl+w');
  await page.close();
  return outcome;
}

/** The confirmation window's text once it shows an outcome, read as a person would (select all, copy). */
export async function confirmationOutcome(x: XDisplay): Promise<string> {
  let last = '';
  return until(
    async () => {
      x.focusWindow('Add to your cloud');
      const text = (last = x.copyText());
      return /Added to your cloud|already in your cloud|Could not/.test(text) ? text : undefined;
    },
    20_000,
    'the outcome in the confirmation',
  ).catch((error: Error) => {
    throw new Error(`${error.message}; it shows: ${last}`);
  });
}
