import { browser } from 'wxt/browser';
import { getAccount } from '@/lib/accounts/store';
import { shareKey } from '@/lib/history/share-key';
import { filesAppUrl, inCloudEntry, shareStateOf, type ShareState } from '@/lib/history/state';
import { listHistory, type HistoryEntry } from '@/lib/history/store';
import { sendMessage, type PendingConfirmation } from '@/lib/messaging/protocol';
import type { MountOutcome } from '@/lib/mount/request';
import { parseShareUrl } from '@/lib/share/url';

/**
 * "In your cloud ✓ · Open" on the share page. The answer comes from the local history of adds, looked up by the
 * share's hashed identity from the tab URL the browser reports: no server is asked on a page view, and the page
 * learns nothing but the button's look (the instance's address never leaves the background).
 */
export async function shareStateForPage(pageUrl: string | undefined): Promise<ShareState> {
  const key = await keyOf(pageUrl);
  return key ? shareStateOf(await listHistory(), key) : { inCloud: false };
}

/** The button's "Open": the instance's files app at the added folder, in a new tab the background opens. */
export async function openInCloudForPage(pageUrl: string | undefined): Promise<{ opened: boolean }> {
  const key = await keyOf(pageUrl);
  const entry = key ? inCloudEntry(await listHistory(), key) : undefined;
  return { opened: entry ? await openEntryInCloud(entry) : false };
}

/** Opens the instance's files app at the entry's folder; false when its account is no longer connected. */
export async function openEntryInCloud(entry: HistoryEntry): Promise<boolean> {
  const account = await getAccount(entry.accountId);
  if (!account) return false;
  await browser.tabs.create({ url: filesAppUrl(account.baseUrl, entry.path, entry.isFolder ?? true) });
  return true;
}

/** After an add from a share tab: tell that tab's button, so it changes without a reload. */
export async function announceAdded(pending: PendingConfirmation | null, outcome: MountOutcome): Promise<void> {
  if (!pending || pending.via === 'direct') return;
  if (outcome.result !== 'mounted' && outcome.result !== 'already-mounted') return;
  // Only a nudge: the tab asks again with its own URL, so a tab that moved on to another share shows that one's
  // state. The tab may be gone by now: then nobody needs to hear it.
  await sendMessage('background:shareStateChanged', undefined, { tabId: pending.tabId, frameId: 0 }).catch(
    () => undefined,
  );
}

async function keyOf(pageUrl: string | undefined): Promise<string | undefined> {
  const url = pageUrl ? parseShareUrl(pageUrl) : null;
  return url ? shareKey(url.origin, url.token) : undefined;
}
