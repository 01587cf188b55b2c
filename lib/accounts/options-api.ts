import { browser } from 'wxt/browser';
import type { OptionsApi } from '@/components/OptionsView';
import { originPattern, parseInstanceAddress, type InstanceAddress } from '@/lib/instance/address';
import { InstanceClient } from '@/lib/instance/client';
import { InstanceError } from '@/lib/instance/errors';
import { startLoginFlow, waitForLogin } from '@/lib/instance/login-flow';
import type { ServerStatus } from '@/lib/instance/server-status';
import { appPasswordPage, completeConnection, probeInstance, signInMethod } from './connect';
import { type Account, getAppPassword, getDefaultAccount, listAccounts, removeAccount, saveAccount, setDefaultAccount } from './store';

/** How an account is named in the settings and the popup: display name, then the cloud id that tells accounts apart. */
export const accountLabel = (account: Pick<Account, 'displayName' | 'cloudId'>): string => `${account.displayName} (${account.cloudId})`;

/**
 * The options page's side effects: host permissions (asked for one origin, at the moment it is needed), the
 * Login Flow tab, the stores. Kept apart from the view so the view stays testable.
 */
export function createOptionsApi(): OptionsApi {
  let target: { address: InstanceAddress; status: ServerStatus; asBridge: boolean } | undefined;

  return {
    async accounts() {
      const preferred = (await getDefaultAccount())?.id;
      return (await listAccounts()).map((a) => ({
        id: a.id,
        // The same name everywhere: the display name, with the cloud id that tells accounts apart.
        label: accountLabel(a),
        details: `${a.productName} ${a.version}`.trim(),
        isDefault: a.id === preferred,
        ...(a.isBridge && { isBridge: true }),
      }));
    },

    makeDefault: setDefaultAccount,

    async disconnect(id) {
      const account = (await listAccounts()).find((a) => a.id === id);
      if (!account) return { revoked: true };
      const appPassword = await getAppPassword(id);
      let revoked = false;
      if (appPassword) {
        revoked = await new InstanceClient({ baseUrl: account.baseUrl, loginName: account.loginName, appPassword })
          .revokeAppPassword()
          .then(
            () => true,
            // Already revoked on the server counts as revoked.
            (error: unknown) => error instanceof InstanceError && error.code === 'unauthorized',
          );
      }
      await removeAccount(id);
      const stillUsed = (await listAccounts()).some((a) => new URL(a.baseUrl).origin === new URL(account.baseUrl).origin);
      if (!stillUsed) await browser.permissions.remove({ origins: [originPattern(account.baseUrl)] }).catch(() => false);
      return { revoked };
    },

    connect: {
      start(input, asBridge) {
        const parsed = parseInstanceAddress(input);
        if (!parsed.ok) return Promise.resolve({ next: 'error', message: parsed.error });
        const { address } = parsed;
        // Called synchronously from the submit handler, so the prompt belongs to the user's click.
        const granted = browser.permissions.request({ origins: [originPattern(address.baseUrl)] });
        return granted.then(async (ok) => {
          if (!ok) return { next: 'error', message: 'Add to Cloud needs your permission to talk to this server. Try again and allow it.' };
          const status = await probeInstance(address);
          if (asBridge && status.kind !== 'companion') {
            return { next: 'error', message: 'Only an Add to Cloud server can be a bridge; connect this one as your cloud instead.' };
          }
          target = { address, status, asBridge };
          const method = signInMethod(status);
          if (method === 'unsupported') {
            return { next: 'error', message: 'Infinite Scale cannot receive shared links from other servers, so it cannot be connected as your cloud.' };
          }
          if (method === 'app-password') {
            return { next: 'app-password', insecure: address.insecure, appPasswordPage: appPasswordPage(address.baseUrl), suggestedLogin: address.user ?? '' };
          }
          return { next: 'login-flow', insecure: address.insecure };
        });
      },

      async loginFlow() {
        if (!target) throw new Error('Start with the address.');
        const { address, status } = target;
        const flow = await startLoginFlow(address.baseUrl);
        const tab = await browser.tabs.create({ url: flow.loginUrl });
        const granted = await waitForLogin(flow);
        if (tab.id !== undefined) await browser.tabs.remove(tab.id).catch(() => undefined);
        const account = await completeConnection(address, status, { loginName: granted.loginName, appPassword: granted.appPassword }, { isBridge: target.asBridge });
        await saveAccount(account, granted.appPassword);
        return account.cloudId;
      },

      async appPassword(loginName, appPassword) {
        if (!target) throw new Error('Start with the address.');
        if (!loginName || !appPassword) throw new Error('Fill in the login name and the app password.');
        const account = await completeConnection(target.address, target.status, { loginName, appPassword }, { isBridge: target.asBridge });
        await saveAccount(account, appPassword);
        return account.cloudId;
      },
    },
  };
}
