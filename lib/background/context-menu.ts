import { browser, type Browser } from 'wxt/browser';
import { originPattern } from '@/lib/instance/address';
import { verifyLinkWithSharer } from '@/lib/confirm/verify-link';
import { dropPending, savePending } from '@/lib/confirm/store';
import type { PendingConfirmation } from '@/lib/messaging/protocol';
import type { MountOutcome } from '@/lib/mount/request';
import { SHARE_LINK_PATTERNS } from '@/lib/share/link-patterns';
import { canonicalShareUrl, parseShareUrl } from '@/lib/share/url';
import { directSharer } from '@/lib/sharer/direct';

/**
 * "Add to your cloud" in the context menu of links that look like share links (webmail, chat, any page), without
 * opening the link. Nothing on the page that shows the link is trusted: the link's URL is parsed (parseShareUrl),
 * the sharer's own server is asked about it by the background (verify-link.ts), and the same confirmation window
 * opens. Talking to the sharer from the background needs its origin: the permission is asked for at the click (a
 * user gesture, the only moment the browser allows the prompt) and taken back when the add is over.
 */
const MENU_ID = 'add-link-to-cloud';

/**
 * Ids of context-menu confirmations. They are not tabs: tab ids are 32-bit integers in both browsers, these start
 * above, so a confirmation for a link never shares its storage key with a share tab's.
 */
const DIRECT_ID_BASE = 2 ** 32;

type Menus = typeof Browser.contextMenus;
/** Firefox names the API `menus` ("menus" permission), Chrome `contextMenus`. */
const menusApi = (): Menus | undefined =>
  (browser as unknown as { menus?: Menus }).menus ?? (browser as unknown as { contextMenus?: Menus }).contextMenus;

export function registerContextMenu(openWindow: (pending: PendingConfirmation) => Promise<number | undefined>): void {
  const menus = menusApi();
  if (!menus) return;
  // Created afresh at each start (removeAll first: Chrome keeps items across restarts, a duplicate id is an error).
  void menus
    .removeAll()
    .then(() =>
      menus.create({
        id: MENU_ID,
        title: browser.i18n.getMessage('menuAddLink'),
        contexts: ['link'],
        targetUrlPatterns: [...SHARE_LINK_PATTERNS],
      }),
    )
    .catch(() => undefined);
  menus.onClicked.addListener((info) => {
    if (info.menuItemId !== MENU_ID || !info.linkUrl) return;
    void addFromLink(info.linkUrl, openWindow);
  });
  browser.windows.onRemoved.addListener((windowId) => void confirmationWindowClosed(windowId));
}

/** Runs inside the click handler: the permission request must come first, before anything is awaited. */
function addFromLink(
  linkUrl: string,
  openWindow: (pending: PendingConfirmation) => Promise<number | undefined>,
): Promise<void> {
  const url = parseShareUrl(linkUrl);
  if (!url) return Promise.resolve();
  const origins = [originPattern(url.origin)];
  // Both calls leave in this same turn: `held` is the state before the prompt, `granted` the user's answer.
  const held = browser.permissions.contains({ origins });
  const granted = browser.permissions.request({ origins });
  return (async () => {
    const temporary = !(await held.catch(() => false));
    if (!(await granted.catch(() => false))) {
      // Refused: open the link, where the share page's own button adds it without any permission for the sharer.
      await browser.tabs.create({ url: linkUrl });
      return;
    }
    const shareUrl = canonicalShareUrl(url);
    const verdict = await verifyLinkWithSharer(url, directSharer(shareUrl).ask);
    if (!verdict.ok) {
      // Gone, unknown, or not a cloud at all: the link itself shows what its server says, and we hold nothing.
      if (temporary) await release(origins[0]!);
      await browser.tabs.create({ url: linkUrl });
      return;
    }
    const pending: PendingConfirmation = {
      tabId: DIRECT_ID_BASE + Math.floor(Math.random() * 2 ** 20),
      origin: url.origin,
      basePath: url.basePath,
      shareUrl,
      claims: verdict.claims,
      requestedAt: Date.now(),
      via: 'direct',
    };
    await savePending(pending);
    const windowId = await openWindow(pending);
    // The grant lasts as long as its confirmation: released after the add, or when the window closes.
    if (temporary && windowId !== undefined)
      await browser.storage.session.set({ [grantKey(windowId)]: { pendingId: pending.tabId, origin: origins[0] } });
    else if (temporary) await release(origins[0]!);
  })();
}

/** After an add from a link: the sharer's origin is no longer needed once the share is in the cloud. */
export async function releaseAfterAdd(pending: PendingConfirmation | null, outcome: MountOutcome): Promise<void> {
  if (pending?.via !== 'direct' || outcome.result === 'failed') return;
  // A failure keeps the grant: the user may correct the password and try again in the same window.
  const stored = await browser.storage.session.get(null);
  for (const [key, value] of Object.entries(stored)) {
    const grant = value as Grant | undefined;
    if (key.startsWith(GRANT_PREFIX) && grant?.pendingId === pending.tabId) {
      await browser.storage.session.remove(key);
      await release(grant.origin);
    }
  }
}

interface Grant {
  pendingId: number;
  origin: string;
}
const GRANT_PREFIX = 'direct-grant:';
const grantKey = (windowId: number) => `${GRANT_PREFIX}${windowId}`;

async function confirmationWindowClosed(windowId: number): Promise<void> {
  const key = grantKey(windowId);
  const grant = (await browser.storage.session.get(key))[key] as Grant | undefined;
  if (!grant) return;
  await browser.storage.session.remove(key);
  await dropPending(grant.pendingId);
  await release(grant.origin);
}

async function release(origin: string): Promise<void> {
  await browser.permissions.remove({ origins: [origin] }).catch(() => undefined);
}
