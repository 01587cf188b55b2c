import { browser } from 'wxt/browser';
import type { DefaultsApi, DiagnosticsApi } from '@/lib/ui/options-api';
import { accountLabel } from '@/lib/accounts/options-api';
import { getAccount, getAppPassword, listAccounts } from '@/lib/accounts/store';
import { originPattern } from '@/lib/instance/address';
import { InstanceError } from '@/lib/instance/errors';
import { loadAddSettings, saveAddSettings } from '@/lib/settings/adding';
import { diagnose } from './diagnostics';
import { loadDefaults, saveDefaults } from './settings';

/** The defaults form: the share-out defaults and the add settings, each kept by its own module. */
export const createDefaultsApi = (): DefaultsApi => ({
  load: async () => ({ ...(await loadDefaults()), ...(await loadAddSettings()) }),
  save: async ({ confirmBeforeAdding, ...share }) => ({
    ...(await saveDefaults(share)),
    ...(await saveAddSettings({ confirmBeforeAdding })),
  }),
});

/** The options page's diagnostics: stored accounts, host permissions, live probes with the account's app password. */
export function createDiagnosticsApi(): DiagnosticsApi {
  return {
    async instances() {
      return (await listAccounts()).map((a) => ({
        id: a.id,
        label: accountLabel(a),
        baseUrl: a.baseUrl,
        kind: a.productName,
        version: a.version,
      }));
    },
    hasPermission: (baseUrl) => browser.permissions.contains({ origins: [originPattern(baseUrl)] }),
    requestPermission: (baseUrl) => browser.permissions.request({ origins: [originPattern(baseUrl)] }),
    async report(id) {
      const account = await getAccount(id);
      const appPassword = account && (await getAppPassword(id));
      if (!account || !appPassword) throw new InstanceError('unauthorized');
      return diagnose({ baseUrl: account.baseUrl, loginName: account.loginName, appPassword });
    },
  };
}
