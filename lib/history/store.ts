import { createStore, get, update } from 'idb-keyval';
import type { Problem } from '@/lib/problem';

/** What the popup shows of past adds. Holds no token, password or link: only what a person needs to recall. */
export interface HistoryEntry {
  id: string;
  at: number;
  sharerOrigin: string;
  name?: string;
  owner?: string;
  accountId: string;
  accountLabel: string;
  result: 'mounted' | 'already-mounted' | 'handed-off' | 'failed';
  /** Why a failed add failed, as a code with parameters: the UI words it in the language of the day. */
  problem?: Problem;
  /** Entries written before problems were codes hold an English sentence instead; still shown as it is. */
  message?: string;
  /** Where it appears in the user's files, when known. */
  path?: string;
  /** SHA-256 of origin and token (share-key.ts): recognises the share again without storing its token. */
  shareKey?: string;
  /** What the page or the sharer said the item is; a file opens in its folder. */
  isFolder?: boolean;
}

export const HISTORY_LIMIT = 200;
const db = () => createStore('add-to-cloud-history', 'history');
const KEY = 'entries';

export async function listHistory(): Promise<HistoryEntry[]> {
  return (await get<HistoryEntry[]>(KEY, db())) ?? [];
}

/** Newest first, capped, so the history never grows without bound. */
export async function recordHistory(entry: HistoryEntry): Promise<void> {
  await update<HistoryEntry[]>(
    KEY,
    (entries = []) => [entry, ...entries.filter((e) => e.id !== entry.id)].slice(0, HISTORY_LIMIT),
    db(),
  );
}

/** The user removed an entry from the list (the share itself stays where it is). */
export async function removeHistory(id: string): Promise<void> {
  await update<HistoryEntry[]>(KEY, (entries = []) => entries.filter((e) => e.id !== id), db());
}
