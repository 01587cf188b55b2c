import { browser } from 'wxt/browser';
import type { ConnectStart, OptionsApi } from '@/lib/ui/options-api';
import { originPattern, parseInstanceAddress, type InstanceAddress } from '@/lib/instance/address';
import { InstanceClient } from '@/lib/instance/client';
import { InstanceError, problemFrom } from '@/lib/instance/errors';
import { startLoginFlow, waitForLogin } from '@/lib/instance/login-flow';
import type { ServerStatus } from '@/lib/instance/server-status';
import { appPasswordPage, completeConnection, probeInstance, signInMethod } from './connect';
import { ProblemError } from '@/lib/problem';
import { accountLabel } from './label';
import {
  getAppPassword,
  getDefaultAccount,
  listAccounts,
  removeAccount,
  saveAccount,
  setDefaultAccount,
} from './store';

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
      const stillUsed = (await listAccounts()).some(
        (a) => new URL(a.baseUrl).origin === new URL(account.baseUrl).origin,
      );
      if (!stillUsed)
        await browser.permissions.remove({ origins: [originPattern(account.baseUrl)] }).catch(() => false);
      return { revoked };
    },

    connect: {
      /**
       * The server is checked first (status.php answers any origin, no permission needed), so the permission is
       * only ever asked for a server that is one; the form then asks for it with `allow`, in the click's gesture.
       */
      start(input, asBridge) {
        const parsed = parseInstanceAddress(input);
        if (!parsed.ok) return Promise.resolve({ next: 'error', problem: parsed.problem });
        const { address } = parsed;
        const server = address.baseUrl;
        target = undefined;
        return probeInstance(address).then(
          async (status): Promise<ConnectStart> => {
            if (asBridge && status.kind !== 'companion')
              return { next: 'error', problem: { code: 'bridge-must-be-companion', server } };
            if (signInMethod(status) === 'unsupported')
              return { next: 'error', problem: { code: 'ocis-cannot-connect', server } };
            target = { address, status, asBridge };
            if (await browser.permissions.contains({ origins: [originPattern(server)] }))
              return signIn(address, status);
            return { next: 'allow', server, product: `${status.productName} ${status.version}`.trim() };
          },
          (error: unknown): ConnectStart => ({ next: 'error', problem: problemFrom(error, 'instance', server) }),
        );
      },

      allow() {
        if (!target) return Promise.resolve({ next: 'error', problem: { code: 'unexpected' } });
        const { address, status } = target;
        // Called synchronously from the click handler, so the prompt belongs to the user's click.
        return browser.permissions
          .request({ origins: [originPattern(address.baseUrl)] })
          .then((ok): ConnectStart =>
            ok
              ? signIn(address, status)
              : { next: 'error', problem: { code: 'permission-denied', server: address.baseUrl } },
          );
      },

      async loginFlow() {
        if (!target) throw new Error('Start with the address.');
        const { address, status } = target;
        const flow = await startLoginFlow(address.baseUrl);
        const tab = await browser.tabs.create({ url: flow.loginUrl });
        const granted = await waitForLogin(flow);
        if (tab.id !== undefined) await browser.tabs.remove(tab.id).catch(() => undefined);
        const account = await completeConnection(
          address,
          status,
          { loginName: granted.loginName, appPassword: granted.appPassword },
          { isBridge: target.asBridge },
        );
        await saveAccount(account, granted.appPassword);
        return account.cloudId;
      },

      async appPassword(loginName, appPassword) {
        if (!target) throw new Error('Start with the address.');
        if (!loginName || !appPassword) throw new ProblemError({ code: 'fill-in-login' });
        const account = await completeConnection(
          target.address,
          target.status,
          { loginName, appPassword },
          { isBridge: target.asBridge },
        );
        await saveAccount(account, appPassword);
        return account.cloudId;
      },
    },
  };
}

/** After the check and the permission: the sign-in the server offers. */
function signIn(address: InstanceAddress, status: ServerStatus): ConnectStart {
  const server = address.baseUrl;
  if (signInMethod(status) === 'app-password') {
    return {
      next: 'app-password',
      server,
      insecure: address.insecure,
      appPasswordPage: appPasswordPage(server),
      suggestedLogin: address.user ?? '',
    };
  }
  return { next: 'login-flow', server, insecure: address.insecure };
}
