import { browser } from 'wxt/browser';
import type { PendingConfirmation } from '@/lib/messaging/protocol';

/**
 * Pending confirmations live in session storage: they survive the MV3 service worker being stopped
 * between the click and the confirm page asking for them, and vanish when the browser closes.
 * They hold the share link (with its token), so they never go to local or sync storage.
 */
const key = (tabId: number) => `confirm:${tabId}`;

export async function savePending(pending: PendingConfirmation): Promise<void> {
  await browser.storage.session.set({ [key(pending.tabId)]: pending });
}

export async function loadPending(tabId: number): Promise<PendingConfirmation | null> {
  const stored = await browser.storage.session.get(key(tabId));
  return (stored[key(tabId)] as PendingConfirmation | undefined) ?? null;
}

export async function dropPending(tabId: number): Promise<void> {
  await browser.storage.session.remove(key(tabId));
}
