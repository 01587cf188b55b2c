import { browser } from 'wxt/browser';
import type { PendingConfirmation } from '@/lib/messaging/protocol';
import type { Preparation } from './preparation';

/**
 * Pending confirmations live in session storage: they survive the MV3 service worker being stopped
 * between the click and the confirm page asking for them, and vanish when the browser closes.
 * They hold the share link (with its token), so they never go to local or sync storage. The preparation
 * made while the window is open (it may hold an ownCloud request token) is kept beside it, never sent to a page.
 */
const key = (tabId: number) => `confirm:${tabId}`;
const preparedKey = (tabId: number) => `prepared:${tabId}`;
const askedKey = (tabId: number) => `asked:${tabId}`;

export async function savePending(pending: PendingConfirmation): Promise<void> {
  await browser.storage.session.set({ [key(pending.tabId)]: pending });
  // A new confirmation for the tab starts without the checks made for an earlier one.
  await browser.storage.session.remove(preparedKey(pending.tabId));
}

export async function loadPending(tabId: number): Promise<PendingConfirmation | null> {
  const stored = await browser.storage.session.get(key(tabId));
  return (stored[key(tabId)] as PendingConfirmation | undefined) ?? null;
}

export async function dropPending(tabId: number): Promise<void> {
  await browser.storage.session.remove([key(tabId), preparedKey(tabId), askedKey(tabId)]);
}

export async function savePreparation(tabId: number, prepared: Preparation): Promise<void> {
  await browser.storage.session.set({ [preparedKey(tabId)]: prepared });
}

export async function loadPreparation(tabId: number): Promise<Preparation | null> {
  const stored = await browser.storage.session.get(preparedKey(tabId));
  return (stored[preparedKey(tabId)] as Preparation | undefined) ?? null;
}

/**
 * The sharer was asked to send this share to an account (createFederatedShare), noted BEFORE asking: if the worker
 * stops while the sharer delivers, the retry waits for that share instead of asking for a second one.
 */
export interface SharerAsked {
  accountId: string;
  at: number;
}

export async function noteSharerAsked(tabId: number, asked: SharerAsked | null): Promise<void> {
  if (asked) await browser.storage.session.set({ [askedKey(tabId)]: asked });
  else await browser.storage.session.remove(askedKey(tabId));
}

export async function loadSharerAsked(tabId: number): Promise<SharerAsked | null> {
  const stored = await browser.storage.session.get(askedKey(tabId));
  return (stored[askedKey(tabId)] as SharerAsked | undefined) ?? null;
}
