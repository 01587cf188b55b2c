import { ocs } from '../../integration/helpers/http';
import type { ExtensionBrowser } from './chromium';

/**
 * Revokes the extension's app passwords on a node through the server's own API, as if the user had revoked the
 * device in the cloud's settings. Reads the passwords out of the extension's storage to do so; answers how many.
 */
export async function revokeAppPasswords(
  browser: ExtensionBrowser,
  nodeUrl: string,
  user: { name: string },
): Promise<number> {
  const stored = (await browser.serviceWorker.evaluate(() => chrome.storage.local.get(null))) as Record<
    string,
    unknown
  >;
  const passwords = Object.entries(stored).filter(([key]) => key.startsWith('app-password:'));
  for (const [, password] of passwords) {
    const { status } = await ocs(`${nodeUrl}/ocs/v2.php/core/apppassword`, 'DELETE', {
      auth: [user.name, String(password)],
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
