import { ocs } from '../../integration/helpers/http';
import type { ExtensionBrowser } from './chromium';

/** Where the extension holds app passwords now: its own IndexedDB (lib/accounts/app-passwords.ts), by account id. */
const SECRETS = { database: 'add-to-cloud-secrets', store: 'app-passwords' } as const;

/**
 * The app passwords the extension holds, read in its service worker: those in its IndexedDB, and the keys of any
 * left in storage.local (where content scripts could read them; only an earlier build put them there).
 */
export async function storedAppPasswords(
  browser: ExtensionBrowser,
): Promise<{ inIndexedDb: Record<string, string>; inStorageLocal: string[] }> {
  return browser.serviceWorker.evaluate(async ({ database, store }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(database);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const inIndexedDb: Record<string, string> = {};
    await new Promise<void>((resolve, reject) => {
      const request = db.transaction(store, 'readonly').objectStore(store).openCursor();
      request.onsuccess = () => {
        const cursor = request.result;
        if (!cursor) return resolve();
        inIndexedDb[String(cursor.key)] = cursor.value as string;
        cursor.continue();
      };
      request.onerror = () => reject(request.error);
    });
    db.close();
    const local = await chrome.storage.local.get(null);
    return { inIndexedDb, inStorageLocal: Object.keys(local).filter((key) => key.startsWith('app-password:')) };
  }, SECRETS);
}

/** Puts the extension's app passwords back where an earlier build kept them (storage.local, `app-password:ID`). */
export async function moveAppPasswordsToStorageLocal(browser: ExtensionBrowser): Promise<number> {
  const { inIndexedDb } = await storedAppPasswords(browser);
  await browser.serviceWorker.evaluate(
    async ({ passwords, database, store }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(database);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      await new Promise((resolve, reject) => {
        const tx = db.transaction(store, 'readwrite');
        tx.objectStore(store).clear();
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
      await chrome.storage.local.set(
        Object.fromEntries(Object.entries(passwords).map(([id, password]) => [`app-password:${id}`, password])),
      );
    },
    { passwords: inIndexedDb, ...SECRETS },
  );
  return Object.keys(inIndexedDb).length;
}

/**
 * Revokes the extension's app passwords on a node through the server's own API, as if the user had revoked the
 * device in the cloud's settings. Reads the passwords out of the extension's IndexedDB to do so; answers how many.
 * Fails when any app password is still in storage.local, where content scripts could read it.
 */
export async function revokeAppPasswords(
  browser: ExtensionBrowser,
  nodeUrl: string,
  user: { name: string },
): Promise<number> {
  const { inIndexedDb, inStorageLocal } = await storedAppPasswords(browser);
  if (inStorageLocal.length > 0) throw new Error(`app passwords left in storage.local: ${inStorageLocal.length}`);
  const passwords = Object.values(inIndexedDb);
  for (const password of passwords) {
    if (typeof password !== 'string' || !password) throw new Error('a stored app password is not a string');
    const { status } = await ocs(`${nodeUrl}/ocs/v2.php/core/apppassword`, 'DELETE', {
      auth: [user.name, password],
    });
    if (status !== 200) throw new Error(`revoking an app password answered ${status}`);
  }
  return passwords.length;
}

/** The names of a user's app passwords on a node, as its own list (`GET core/apppasswords`) shows them. */
export async function appPasswordNames(nodeUrl: string, user: { name: string; password: string }): Promise<string[]> {
  const { status, body } = await ocs(`${nodeUrl}/ocs/v2.php/core/apppasswords`, 'GET', {
    auth: [user.name, user.password],
  });
  if (status !== 200) throw new Error(`listing app passwords answered ${status}`);
  return (body.ocs.data as { name: string }[]).map((entry) => entry.name);
}
