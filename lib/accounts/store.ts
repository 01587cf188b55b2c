import { createStore, del, get, set } from 'idb-keyval';
import { forgetAppPassword, readAppPassword, storeAppPassword } from './app-passwords';
import type { ServerKind } from '@/lib/share/types';

/**
 * The user's connected clouds. What identifies an account (URL, kind, user) is kept with idb-keyval in the
 * extension's own IndexedDB, which survives browser restarts; the app password is kept apart in a database of its
 * own there (app-passwords.ts: out of content scripts' reach, never synced, never in a log) and is only read to talk
 * to its own instance.
 */
export interface Account {
  id: string;
  /** origin + base path of the instance. */
  baseUrl: string;
  kind: ServerKind;
  version: string;
  productName: string;
  /** The uid (what cloud ids use), which can differ from the login name. */
  userId: string;
  loginName: string;
  displayName: string;
  /** user@host as servers expect it in shareWith. */
  cloudId: string;
  addedAt: number;
  /** A companion server used to bridge pairs that cannot federate directly. */
  isBridge?: boolean;
  /** From the capabilities at connect time: false when the instance refuses incoming federated shares. */
  acceptsFederatedShares?: boolean;
}

const db = () => createStore('add-to-cloud', 'accounts');
const ACCOUNTS = 'accounts';
const DEFAULT = 'default-account';

export async function listAccounts(): Promise<Account[]> {
  return (await get<Account[]>(ACCOUNTS, db())) ?? [];
}

export async function getAccount(id: string): Promise<Account | undefined> {
  return (await listAccounts()).find((account) => account.id === id);
}

export async function getDefaultAccount(): Promise<Account | undefined> {
  const accounts = await listAccounts();
  const defaultId = await get<string>(DEFAULT, db());
  return accounts.find((a) => a.id === defaultId && !a.isBridge) ?? accounts.find((a) => !a.isBridge);
}

export async function setDefaultAccount(id: string): Promise<void> {
  if (!(await getAccount(id))) throw new Error('There is no such account.');
  await set(DEFAULT, id, db());
}

/** Adds or replaces (same instance and user) an account; the first instance account becomes the default. */
export async function saveAccount(account: Account, appPassword: string): Promise<Account> {
  const accounts = await listAccounts();
  const previous = accounts.find(
    (a) => a.baseUrl === account.baseUrl && a.userId === account.userId && !!a.isBridge === !!account.isBridge,
  );
  const saved = previous ? { ...account, id: previous.id, addedAt: previous.addedAt } : account;
  await storeAppPassword(saved.id, appPassword);
  await set(ACCOUNTS, [...accounts.filter((a) => a.id !== saved.id), saved], db());
  if (!saved.isBridge && !(await get<string>(DEFAULT, db()))) await set(DEFAULT, saved.id, db());
  return saved;
}

export async function getAppPassword(id: string): Promise<string | undefined> {
  return readAppPassword(id);
}

/** Forgets an account and its app password (the caller revokes the password on the server first). */
export async function removeAccount(id: string): Promise<void> {
  const accounts = await listAccounts();
  await set(
    ACCOUNTS,
    accounts.filter((a) => a.id !== id),
    db(),
  );
  await forgetAppPassword(id);
  if ((await get<string>(DEFAULT, db())) === id) {
    const next = accounts.find((a) => a.id !== id && !a.isBridge);
    if (next) await set(DEFAULT, next.id, db());
    else await del(DEFAULT, db());
  }
}
