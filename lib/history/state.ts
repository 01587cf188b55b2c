import type { HistoryEntry } from './store';

/** Results that leave the share in the user's cloud. */
const IN_CLOUD: ReadonlySet<HistoryEntry['result']> = new Set(['mounted', 'already-mounted']);

/**
 * The newest history entry that put this share (by its key, see share-key.ts) into a cloud, if any. Entries are
 * newest first; a later failure does not hide an earlier success (the mount stays where it was).
 */
export function inCloudEntry(entries: readonly HistoryEntry[], key: string): HistoryEntry | undefined {
  return entries.find((entry) => entry.shareKey === key && IN_CLOUD.has(entry.result));
}

/** What the share page's button may know: only whether the share is in the user's cloud, nothing about where. */
export interface ShareState {
  inCloud: boolean;
}

export function shareStateOf(entries: readonly HistoryEntry[], key: string): ShareState {
  return { inCloud: inCloudEntry(entries, key) !== undefined };
}

/**
 * The instance's files app at the added item: `{base}/index.php/apps/files/?dir=/PATH` (ownCloud 10, the
 * companion, and Nextcloud, which still reads `dir` and redirects to its own route). A file is shown in its folder.
 */
export function filesAppUrl(baseUrl: string, path: string | undefined, isFolder = true): string {
  const clean = (path ?? '/').replace(/\/+$/, '') || '/';
  const dir = isFolder ? clean : clean.replace(/\/[^/]*$/, '') || '/';
  return `${baseUrl.replace(/\/+$/, '')}/index.php/apps/files/?dir=${encodeURIComponent(dir)}`;
}
