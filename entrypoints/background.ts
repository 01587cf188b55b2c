import { browser } from 'wxt/browser';
import { accountLabel } from '@/lib/accounts/label';
import { listAccounts, getDefaultAccount } from '@/lib/accounts/store';
import { addShare, prepareAdd } from '@/lib/background/add-share';
import { registerContextMenu, releaseAfterAdd } from '@/lib/background/context-menu';
import { announceAdded, openInCloudForPage, shareStateForPage } from '@/lib/background/share-state';
import { centredOver } from '@/lib/confirm/placement';
import { buildPendingConfirmation, isExpired } from '@/lib/confirm/pending';
import { dropPending, loadPending, savePending } from '@/lib/confirm/store';
import { askSharer } from '@/lib/sharer/tab';
import {
  onMessage,
  type ConfirmationOpened,
  type PageClaims,
  type PendingConfirmation,
} from '@/lib/messaging/protocol';
import type { MountOutcome } from '@/lib/mount/request';
import { isOwnPage, topFrameOf, type SenderInfo } from '@/lib/messaging/sender';
import { confirmSpaLink } from '@/lib/sharer/confirm-spa';
import type { SpaConfirmation } from '@/lib/sharer/types';
import { parseShareUrl } from '@/lib/share/url';

/** Privileged messages answer only the extension's own pages (popup, options, confirmation), never a web page. */
function requireOwnPage(sender: SenderInfo): void {
  if (!isOwnPage(sender, browser.runtime.id, browser.runtime.getURL('/'))) {
    throw new Error('Only the extension’s own pages may send this message.');
  }
}

export default defineBackground(() => {
  // The share's origin and token come from the URL the browser reports for the sending top frame (see sender.ts).
  onMessage('content:requestConfirmation', ({ data, sender }) => {
    const page = topFrameOf(sender);
    return openConfirmation(page?.tabId, page?.url, data);
  });

  onMessage('popup:requestConfirmation', async ({ data, sender }) => {
    requireOwnPage(sender);
    // Opening the popup grants activeTab for the current tab, so its URL is known in both browsers.
    const tab = await browser.tabs.get(data.tabId).catch(() => undefined);
    return openConfirmation(tab?.id, tab?.url, data.claims);
  });

  onMessage('confirm:get', async ({ data, sender }) => {
    requireOwnPage(sender);
    const pending = await loadPending(data.tabId);
    if (!pending) return null;
    if (isExpired(pending, Date.now())) {
      await dropPending(data.tabId);
      return null;
    }
    return pending;
  });

  onMessage('confirm:accounts', async ({ sender }) => {
    requireOwnPage(sender);
    const preferred = (await getDefaultAccount())?.id;
    return (await listAccounts())
      .filter((account) => !account.isBridge)
      .sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred))
      .map((account) => ({
        id: account.id,
        baseUrl: account.baseUrl,
        kind: account.kind,
        cloudId: account.cloudId,
        label: accountLabel(account),
      }));
  });

  onMessage('confirm:prepare', ({ data, sender }) => {
    requireOwnPage(sender);
    return prepareAdd(data.tabId, data.accountId);
  });

  onMessage('confirm:add', async ({ data, sender }) => {
    requireOwnPage(sender);
    const pending = await loadPending(data.tabId);
    const outcome = await addShare(data.tabId, data.accountId, data.password);
    // The add is done either way: what follows must not turn its outcome into an error.
    await afterAdd(pending, outcome).catch(() => undefined);
    return outcome;
  });

  listenForShareState();
  registerContextMenu(showConfirmationWindow);

  onMessage('content:confirmSpaShare', ({ sender }) => confirmSpaShare(topFrameOf(sender)));

  browser.tabs.onRemoved.addListener((tabId) => void dropPending(tabId));

  // First install: the user's first stop is connecting their own cloud.
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.runtime.openOptionsPage();
  });
});

/** Opens the confirmation in an extension window, out of the page's reach. */
async function openConfirmation(
  tabId: number | undefined,
  tabUrl: string | undefined,
  claims: PageClaims,
): Promise<ConfirmationOpened> {
  const result = buildPendingConfirmation(tabId, tabUrl, claims, parseShareUrl, Date.now());
  if (!result.ok) return { opened: false, error: result.reason };
  await savePending(result.pending);
  await showConfirmationWindow(result.pending);
  return { opened: true };
}

/** The confirmation window of a saved pending confirmation (a share tab's, or a link's from the context menu). */
async function showConfirmationWindow(pending: PendingConfirmation): Promise<number | undefined> {
  const size = { width: 440, height: 520 };
  const created = await browser.windows.create({
    url: browser.runtime.getURL(`/confirm.html?tab=${pending.tabId}`),
    type: 'popup',
    ...size,
    ...centredOver(await browserWindowOf(pending.tabId), size),
  });
  return created?.id;
}

/** The share page's button learns from the history whether its share is in the user's cloud, and opens it there. */
function listenForShareState(): void {
  onMessage('content:shareState', ({ sender }) => shareStateForPage(topFrameOf(sender)?.url));
  onMessage('content:openInCloud', ({ sender }) => openInCloudForPage(topFrameOf(sender)?.url));
}

/** What follows an add: the share tab's button shows the new state; a link's temporary permission is released. */
async function afterAdd(pending: PendingConfirmation | null, outcome: MountOutcome): Promise<void> {
  await Promise.all([announceAdded(pending, outcome), releaseAfterAdd(pending, outcome)]);
}

/** The browser window showing the share tab (else the last focused one): the confirmation opens over it. */
async function browserWindowOf(tabId: number) {
  const tab = await browser.tabs.get(tabId).catch(() => undefined);
  const byTab =
    tab?.windowId !== undefined ? await browser.windows.get(tab.windowId).catch(() => undefined) : undefined;
  return byTab ?? (await browser.windows.getLastFocused().catch(() => undefined));
}

/**
 * An SPA candidate (oCIS) is confirmed by the server of the tab's own URL, never one the page names. The request
 * runs in the tab, on that origin: the sharer's server is not one we hold a permission for.
 */
async function confirmSpaShare(page: { tabId: number; url: string } | null): Promise<SpaConfirmation> {
  const url = page && parseShareUrl(page.url);
  if (!page || !url) return { confirmed: false, reason: 'not-a-share' };
  // The one failure left is the tab's: it was closed or left the share while asked (askSharer).
  return confirmSpaLink((request) => askSharer(page.tabId, request), url.token).catch(() => ({
    confirmed: false,
    reason: 'check-failed',
  }));
}
