import path from 'node:path';
import Database from 'better-sqlite3';
import { ocs } from '../../integration/helpers/http';
import type { TestNode } from '../../integration/helpers/node';
import type { ExtensionBrowser } from './chromium';

/**
 * Revokes the extension's app passwords on a node through the server's own API, as if the user had revoked the
 * device in the cloud's settings. Reads the passwords out of the extension's storage to do so; answers how many.
 */
export async function revokeAppPasswords(browser: ExtensionBrowser, nodeUrl: string, user: { name: string }): Promise<number> {
  const stored = (await browser.serviceWorker.evaluate(() => chrome.storage.local.get(null))) as Record<string, unknown>;
  const passwords = Object.entries(stored).filter(([key]) => key.startsWith('app-password:'));
  for (const [, password] of passwords) {
    const { status } = await ocs(`${nodeUrl}/ocs/v2.php/core/apppassword`, 'DELETE', { auth: [user.name, String(password)] });
    if (status !== 200) throw new Error(`revoking an app password answered ${status}`);
  }
  return passwords.length;
}

/** The names of a user's app passwords on a node, read from its database (the server has no API to list them). */
export function appPasswordNames(node: TestNode, uid: string): string[] {
  const db = new Database(path.join(node.dataDir, 'server.db'), { readonly: true });
  try {
    return (db.prepare('SELECT name FROM app_passwords WHERE uid = ? ORDER BY id').all(uid) as { name: string }[]).map((row) => row.name);
  } finally {
    db.close();
  }
}
