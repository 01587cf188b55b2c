import { browser } from 'wxt/browser';

/**
 * The options page's settings, kept in one storage entry under the key they have had since the first release
 * ('share-defaults'), so that users who set them keep them. Each settings module reads and writes only its own
 * fields: a write merges into the entry and never drops another module's fields.
 */
const KEY = 'share-defaults';

/** The stored entry as it is; anything that is not an object reads as empty (each module judges its fields). */
export async function readSettings(): Promise<Record<string, unknown>> {
  const value: unknown = (await browser.storage.local.get(KEY))[KEY];
  return value && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {};
}

export async function writeSettings(fields: object): Promise<void> {
  await browser.storage.local.set({ [KEY]: { ...(await readSettings()), ...fields } });
}
