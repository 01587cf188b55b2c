import { browser } from 'wxt/browser';
import type { ShareOutApi } from '@/components/share-out/api';
import { getAppPassword, getDefaultAccount, type Account } from '@/lib/accounts/store';
import { InstanceClient, type Credentials } from '@/lib/instance/client';
import { InstanceError } from '@/lib/instance/errors';
import { FileBrowser } from './files';
import { createLink, fetchCapabilities, listShares, revokeShare, shareWithCloudId } from './links';
import { parseLinkPolicy } from './policy';
import { loadDefaults } from './settings';

/** The popup's real ShareOutApi: the default account's instance, spoken to with its app password. */
export function createShareOutApi(): ShareOutApi {
  let connection: Promise<{ account: Account; client: InstanceClient; files: FileBrowser }> | undefined;

  const connect = () =>
    (connection ??= (async () => {
      const account = await getDefaultAccount();
      const appPassword = account && (await getAppPassword(account.id));
      // Without a stored app password the account cannot be used: same advice as a revoked one.
      if (!account || !appPassword) throw new InstanceError('unauthorized');
      const credentials: Credentials = { baseUrl: account.baseUrl, loginName: account.loginName, appPassword };
      return { account, client: new InstanceClient(credentials), files: new FileBrowser(credentials, account.userId) };
    })());
  const client = async () => (await connect()).client;

  return {
    async account() {
      const account = await getDefaultAccount();
      return account && { displayName: account.displayName, cloudId: account.cloudId };
    },
    policy: async () => parseLinkPolicy(await fetchCapabilities(await client())),
    defaults: loadDefaults,
    list: async (path) => (await connect()).files.list(path),
    shares: async (path) => listShares(await client(), path),
    createLink: async (path, link) => createLink(await client(), path, link),
    revoke: async (id) => revokeShare(await client(), id),
    shareWithCloudId: async (path, cloudId) => shareWithCloudId(await client(), path, cloudId),
    copy: (text) => navigator.clipboard.writeText(text),
    openOptions: () => void browser.runtime.openOptionsPage(),
  };
}
