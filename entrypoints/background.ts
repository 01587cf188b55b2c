import { browser } from 'wxt/browser';
import { listAccounts, getDefaultAccount } from '@/lib/accounts/store';
import { addShare } from '@/lib/background/add-share';
import { buildPendingConfirmation, isExpired } from '@/lib/confirm/pending';
import { dropPending, loadPending, savePending } from '@/lib/confirm/store';
import { onMessage, type PageClaims } from '@/lib/messaging/protocol';
import { InstanceError } from '@/lib/instance/errors';
import { requestJson } from '@/lib/instance/http';
import { parseTokenInfo, tokenInfoUrl } from '@/lib/share/tokeninfo';
import { parseShareUrl } from '@/lib/share/url';

export default defineBackground(() => {
  onMessage('content:requestConfirmation', ({ data, sender }) =>
    openConfirmation(sender.tab?.id, sender.tab?.url, data),
  );

  onMessage('popup:requestConfirmation', async ({ data }) => {
    const tab = await browser.tabs.get(data.tabId).catch(() => undefined);
    return openConfirmation(tab?.id, tab?.url, data.claims);
  });

  onMessage('confirm:get', async ({ data }) => {
    const pending = await loadPending(data.tabId);
    if (!pending) return null;
    if (isExpired(pending, Date.now())) {
      await dropPending(data.tabId);
      return null;
    }
    return pending;
  });

  onMessage('confirm:accounts', async () => {
    const preferred = (await getDefaultAccount())?.id;
    return (await listAccounts())
      .filter((account) => !account.isBridge)
      .sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred))
      .map(({ id, baseUrl, kind, cloudId, displayName }) => ({ id, baseUrl, kind, cloudId, label: `${displayName} (${cloudId})` }));
  });

  onMessage('confirm:add', ({ data }) => addShare(data.tabId, data.accountId, data.password));

  // The SPA candidate is confirmed against the server of the tab's own URL, never one the page names.
  onMessage('content:confirmSpaShare', async ({ sender }) => {
    const url = sender.tab?.url ? parseShareUrl(sender.tab.url) : null;
    if (!url) return { confirmed: false, reason: 'This tab does not show a public share link.' };
    try {
      const body = await requestJson(tokenInfoUrl(url.origin, url.basePath, url.token), {
        timeoutMs: 5000,
        headers: { Accept: 'application/json', 'OCS-APIRequest': 'true' },
      });
      return parseTokenInfo(body, url.token);
    } catch (error) {
      return { confirmed: false, reason: error instanceof InstanceError ? error.message : 'The check failed.' };
    }
  });

  browser.tabs.onRemoved.addListener((tabId) => void dropPending(tabId));

  // First install: the user's first stop is connecting their own cloud.
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.runtime.openOptionsPage();
  });
});

/** Opens the confirmation in an extension window, out of the page's reach. */
async function openConfirmation(tabId: number | undefined, tabUrl: string | undefined, claims: PageClaims) {
  const result = buildPendingConfirmation(tabId, tabUrl, claims, parseShareUrl, Date.now());
  if (!result.ok) return { opened: false, error: result.error };
  await savePending(result.pending);
  await browser.windows.create({
    url: browser.runtime.getURL(`/confirm.html?tab=${result.pending.tabId}`),
    type: 'popup',
    width: 440,
    height: 520,
  });
  return { opened: true };
}
