import { ocs } from '../../integration/helpers/http';
import type { ExtensionBrowser } from './chromium';

/**
 * Revokes the extension's app passwords on a node through the server's own API, as if the user had revoked the
 * device in the cloud's settings. Reads the passwords out of the extension's own IndexedDB (lib/accounts/
 * app-passwords.ts) to do so; answers how many. Fails when any app password is still in storage.local, where
 * content scripts could read it.
 */
export async function revokeAppPasswords(
  browser: ExtensionBrowser,
  nodeUrl: string,
  user: { name: string },
): Promise<number> {
  const { passwords, inStorageLocal } = await browser.serviceWorker.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('add-to-cloud-secrets');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = await new Promise<unknown[]>((resolve, reject) => {
      const request = db.transaction('app-passwords', 'readonly').objectStore('app-passwords').getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    const local = await chrome.storage.local.get(null);
    return { passwords: all, inStorageLocal: Object.keys(local).filter((key) => key.startsWith('app-password:')) };
  });
  if (inStorageLocal.length > 0) throw new Error(`app passwords left in storage.local: ${inStorageLocal.length}`);
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
