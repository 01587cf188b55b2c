import { createStore, del, get, set } from 'idb-keyval';
import { browser } from 'wxt/browser';

/**
 * Where the app passwords live: the extension's own IndexedDB, in a database of their own, keyed by account id.
 * Only extension pages and the background can open the extension's IndexedDB; `storage.local`, where they were
 * kept before, is also open to content scripts (Chrome's setAccessLevel only restricts storage.session, Firefox
 * restricts nothing), and ours runs on every web page, so a compromised renderer could have read them there.
 * Never synced, never logged, only read to talk to the account's own instance.
 */
const secrets = () => createStore('add-to-cloud-secrets', 'app-passwords');

/** The key an app password had in `storage.local` before it moved; still read once to move it over. */
const legacyKey = (id: string) => `app-password:${id}`;

export async function storeAppPassword(id: string, appPassword: string): Promise<void> {
  await set(id, appPassword, secrets());
  await browser.storage.local.remove(legacyKey(id));
}

/** The account's app password; one still in `storage.local` from an older version is moved over on the way. */
export async function readAppPassword(id: string): Promise<string | undefined> {
  const stored = await get<unknown>(id, secrets());
  if (typeof stored === 'string') return stored;
  const legacy = (await browser.storage.local.get(legacyKey(id)))[legacyKey(id)];
  if (typeof legacy !== 'string') return undefined;
  await storeAppPassword(id, legacy);
  return legacy;
}

export async function forgetAppPassword(id: string): Promise<void> {
  await del(id, secrets());
  await browser.storage.local.remove(legacyKey(id));
}
