import { browser } from 'wxt/browser';
import type { DiagnosticsApi } from '@/lib/ui/options-api';
import { accountLabel } from '@/lib/accounts/label';
import { getAccount, getAppPassword, listAccounts } from '@/lib/accounts/store';
import { originPattern } from '@/lib/instance/address';
import { InstanceError } from '@/lib/instance/errors';
import { diagnose } from './diagnostics';

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
