import { browser } from 'wxt/browser';
import { listAccounts, getDefaultAccount } from '@/lib/accounts/store';
import { addShare, prepareAdd } from '@/lib/background/add-share';
import { centredOver } from '@/lib/confirm/placement';
import { buildPendingConfirmation, isExpired } from '@/lib/confirm/pending';
import { dropPending, loadPending, savePending } from '@/lib/confirm/store';
import { askSharer } from '@/lib/background/sharer-tab';
import { onMessage, type PageClaims, type SpaConfirmation } from '@/lib/messaging/protocol';
import { isOwnPage, topFrameOf, type SenderInfo } from '@/lib/messaging/sender';
import { InstanceError } from '@/lib/instance/errors';
import { confirmByPublicDav } from '@/lib/share/public-dav';
import { parseTokenInfo, tokenInfoUndecided } from '@/lib/share/tokeninfo';
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
      .map(({ id, baseUrl, kind, cloudId, displayName }) => ({ id, baseUrl, kind, cloudId, label: `${displayName} (${cloudId})` }));
  });

  onMessage('confirm:prepare', ({ data, sender }) => {
    requireOwnPage(sender);
    return prepareAdd(data.tabId, data.accountId);
  });

  onMessage('confirm:add', ({ data, sender }) => {
    requireOwnPage(sender);
    return addShare(data.tabId, data.accountId, data.password);
  });

  onMessage('content:confirmSpaShare', ({ sender }) => confirmSpaShare(topFrameOf(sender)));

  browser.tabs.onRemoved.addListener((tabId) => void dropPending(tabId));

  // First install: the user's first stop is connecting their own cloud.
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.runtime.openOptionsPage();
  });
});

/** Opens the confirmation in an extension window, out of the page's reach. */
async function openConfirmation(tabId: number | undefined, tabUrl: string | undefined, claims: PageClaims) {
  const result = buildPendingConfirmation(tabId, tabUrl, claims, parseShareUrl, Date.now());
  if (!result.ok) return { opened: false, error: result.reason };
  await savePending(result.pending);
  const size = { width: 440, height: 520 };
  await browser.windows.create({
    url: browser.runtime.getURL(`/confirm.html?tab=${result.pending.tabId}`),
    type: 'popup',
    ...size,
    ...centredOver(await browserWindowOf(result.pending.tabId), size),
  });
  return { opened: true };
}

/** The browser window showing the share tab (else the last focused one): the confirmation opens over it. */
async function browserWindowOf(tabId: number) {
  const tab = await browser.tabs.get(tabId).catch(() => undefined);
  const byTab = tab?.windowId !== undefined ? await browser.windows.get(tab.windowId).catch(() => undefined) : undefined;
  return byTab ?? (await browser.windows.getLastFocused().catch(() => undefined));
}

/**
 * An SPA candidate (oCIS) is confirmed by the server of the tab's own URL, never one the page names. The request
 * runs in the tab, on that origin: the sharer's server is not one we hold a permission for.
 */
async function confirmSpaShare(page: { tabId: number; url: string } | null): Promise<SpaConfirmation> {
  const url = page && parseShareUrl(page.url);
  if (!page || !url) return { confirmed: false, reason: 'This tab does not show a public share link.' };
  try {
    const answer = await askSharer(page.tabId, { op: 'tokeninfo', token: url.token });
    if (answer.status === 0) return { confirmed: false, reason: 'The sharer’s server could not be reached.' };
    const body: unknown = JSON.parse(answer.body);
    // A password link and an unknown one answer alike here (996): the link's public WebDAV tells them apart.
    if (tokenInfoUndecided(body)) return confirmByPublicDav(await askSharer(page.tabId, { op: 'publicdav', token: url.token, password: '', depth: 0 }));
    return parseTokenInfo(body, url.token);
  } catch (error) {
    return { confirmed: false, reason: error instanceof InstanceError ? error.code : 'The check failed.' };
  }
}
