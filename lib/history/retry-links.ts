import { browser } from 'wxt/browser';

/**
 * The share link behind a history entry, so "Retry" can open it again. The link holds the token, so it never goes
 * into the history itself (IndexedDB, kept across restarts): it lives in session storage, like the pending
 * confirmations, and is gone when the browser closes. After a restart an entry offers no Retry.
 */
const key = (entryId: string) => `retry:${entryId}`;

export async function rememberRetryLink(entryId: string, shareUrl: string): Promise<void> {
  await browser.storage.session.set({ [key(entryId)]: shareUrl });
}

export async function retryLink(entryId: string): Promise<string | undefined> {
  const stored = await browser.storage.session.get(key(entryId));
  const value = stored[key(entryId)];
  return typeof value === 'string' ? value : undefined;
}

export async function forgetRetryLink(entryId: string): Promise<void> {
  await browser.storage.session.remove(key(entryId));
}
