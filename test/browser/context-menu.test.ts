import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from './support/chromium';

/**
 * Chromium side of "Add to your cloud" in a link's context menu. Headless Chromium draws no native menus and no
 * automation can click one, so the whole flow (menu, permission prompt, confirmation) is tested in Firefox on a
 * virtual display (firefox-context-menu.test.ts). Here: the release build registers the entry in Chromium, for
 * and holds no grant for a sharer's origin before a click asks for one.
 */
let browser: ExtensionBrowser;

beforeAll(async () => {
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
});

describe('the context-menu entry in Chromium (release build)', () => {
  it('is registered under its id, and no sharer’s origin is granted until a click asks for it', async () => {
    const result = await browser.serviceWorker.evaluate(async () => {
      // update() fails for an id that was never created: a cheap way to ask whether the entry exists.
      const exists = (id: string) =>
        new Promise<boolean>((resolve) => chrome.contextMenus.update(id, {}, () => resolve(!chrome.runtime.lastError)));
      for (let i = 0; i < 50 && !(await exists('add-link-to-cloud')); i++) await new Promise((r) => setTimeout(r, 100));
      return {
        entry: await exists('add-link-to-cloud'),
        other: await exists('no-such-entry'),
        sharerGranted: await chrome.permissions.contains({ origins: ['http://127.0.0.2/*'] }),
        permissions: chrome.runtime.getManifest().permissions,
      };
    });
    expect(result).toEqual({
      entry: true,
      other: false,
      sharerGranted: false,
      permissions: ['storage', 'activeTab', 'contextMenus'],
    });
  });
});
