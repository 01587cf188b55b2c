import type { BrowserContext, Page } from 'playwright-core';

export const HOST_SELECTOR = '[data-add-to-cloud]';

/**
 * Buttons inside our CLOSED shadow root are invisible to DOM selectors (by design: the page must not reach
 * them). The accessibility tree still sees them, exactly as a screen reader would.
 */
export async function accessibleButtons(context: BrowserContext, page: Page, name: string): Promise<number> {
  const cdp = await context.newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodes } = await cdp.send('Accessibility.queryAXTree', {
      nodeId: root.nodeId,
      accessibleName: name,
      role: 'button',
    });
    return nodes.filter((node) => !node.ignored).length;
  } finally {
    await cdp.detach();
  }
}

/** Waits for the page to settle, then for our host element to appear (or times out). */
export async function waitForHost(page: Page, timeout = 5000): Promise<boolean> {
  return page
    .waitForSelector(HOST_SELECTOR, { state: 'attached', timeout })
    .then(() => true)
    .catch(() => false);
}

/** For "nothing appears" checks: give the detector (and a possible server round trip) time to act first. */
export async function hostCountAfterSettling(page: Page, settleMs = 1500): Promise<number> {
  await page.waitForLoadState('load');
  await page.waitForTimeout(settleMs);
  return page.locator(HOST_SELECTOR).count();
}
