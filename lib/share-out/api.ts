import { browser } from 'wxt/browser';
import type { ShareOutApi } from '@/lib/ui/share-out-api';
import { getAccount, getAppPassword, getDefaultAccount, listAccounts, type Account } from '@/lib/accounts/store';
import { InstanceClient, type Credentials } from '@/lib/instance/client';
import { InstanceError } from '@/lib/instance/errors';
import { FileBrowser } from './files';
import { createLink, fetchCapabilities, listShares, revokeShare, shareWithCloudId } from './links';
import { parseLinkPolicy } from './policy';
import { loadDefaults } from './settings';

interface Connection {
  account: Account;
  client: InstanceClient;
  files: FileBrowser;
}

/** Opens one account's connection (its app password, its instance); undefined id = the default account. */
async function connectTo(id: string | undefined): Promise<Connection> {
  const account = id === undefined ? await getDefaultAccount() : await getAccount(id);
  const appPassword = account && (await getAppPassword(account.id));
  // Without a stored app password the account cannot be used: same advice as a revoked one.
  if (!account || account.isBridge || !appPassword) throw new InstanceError('unauthorized');
  const credentials: Credentials = { baseUrl: account.baseUrl, loginName: account.loginName, appPassword };
  return { account, client: new InstanceClient(credentials), files: new FileBrowser(credentials, account.userId) };
}

/**
 * The popup's real ShareOutApi: one account's instance (the default one unless chosen), spoken to with its app
 * password.
 */
export function createShareOutApi(accountId?: string, bound = new Map<string, ShareOutApi>()): ShareOutApi {
  let connection: Promise<Connection> | undefined;
  const connect = () => {
    connection ??= connectTo(accountId);
    // A failed attempt is not kept: the next action tries again.
    connection.catch(() => (connection = undefined));
    return connection;
  };
  const client = async () => (await connect()).client;

  return {
    async accounts() {
      const preferred = (await getDefaultAccount())?.id;
      return (await listAccounts())
        .filter((a) => !a.isBridge)
        .map((a) => ({ id: a.id, displayName: a.displayName, cloudId: a.cloudId, isDefault: a.id === preferred }))
        .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
    },
    forAccount(id) {
      let api = bound.get(id);
      if (!api) bound.set(id, (api = createShareOutApi(id, bound)));
      return api;
    },
    policy: async () => parseLinkPolicy(await fetchCapabilities(await client())),
    defaults: loadDefaults,
    list: async (path) => (await connect()).files.list(path),
    shares: async (path) => listShares(await client(), path),
    createLink: async (path, link) => {
      const { client, account } = await connect();
      return createLink(client, path, link, account.kind);
    },
    revoke: async (id) => revokeShare(await client(), id),
    shareWithCloudId: async (path, cloudId) => shareWithCloudId(await client(), path, cloudId),
    copy: (text) => navigator.clipboard.writeText(text),
    openOptions: () => void browser.runtime.openOptionsPage(),
  };
}
