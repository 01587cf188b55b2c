import { browser } from 'wxt/browser';
import { getAccount, getAppPassword, listAccounts, type Account } from '@/lib/accounts/store';
import { dropPending, loadPending } from '@/lib/confirm/store';
import { isExpired } from '@/lib/confirm/pending';
import { recordHistory } from '@/lib/history/store';
import { historyIdentity } from '@/lib/history/identity';
import { rememberRetryLink } from '@/lib/history/retry-links';
import { InstanceClient, type PublicLinkMount } from '@/lib/instance/client';
import { InstanceError } from '@/lib/instance/errors';
import { originPattern } from '@/lib/instance/address';
import { classifyStatus } from '@/lib/instance/server-status';
import type { PendingConfirmation } from '@/lib/messaging/protocol';
import { interpretCreateFederatedShare } from '@/lib/mount/federated-share';
import { interpretShareInfo } from '@/lib/mount/shareinfo';
import type { BridgeAccount } from '@/lib/mount/bridge';
import { runMount, type MountOutcome } from '@/lib/mount/run';
import { planMount } from '@/lib/mount/strategy';
import { parseShareUrl } from '@/lib/share/url';
import type { ServerKind } from '@/lib/share/types';
import { mountWithBrowserSession } from './owncloud-session';
import { sharerFor, type Sharer } from './sharer';

/**
 * The confirmed "Add": everything between the user's click in the confirmation window and the verified mount.
 * Origin and token come from the pending confirmation (built from the tab URL); the sharer's kind is asked of
 * the sharer itself, not taken from the page.
 */
export async function addShare(tabId: number, accountId: string, password: string): Promise<MountOutcome> {
  const pending = await loadPending(tabId);
  if (!pending || isExpired(pending, Date.now())) {
    return { result: 'failed', message: 'This confirmation is no longer valid. Click “Add to your cloud” on the share page again.' };
  }
  const account = await getAccount(accountId);
  const appPassword = account && (await getAppPassword(account.id));
  if (!account || !appPassword) return { result: 'failed', message: 'Connect your cloud in the settings first.' };
  if (account.acceptsFederatedShares === false) {
    return { result: 'failed', message: `${account.baseUrl} does not accept shares from other servers (its administrator turned incoming federation off).` };
  }
  if (!(await browser.permissions.contains({ origins: [originPattern(account.baseUrl)] }))) {
    return { result: 'failed', message: `Add to Cloud may not talk to ${account.baseUrl} any more. Allow it again in the settings.` };
  }

  const outcome = await mountOn(account, appPassword, pending, password).catch((error: unknown) =>
    error instanceof InstanceError ? ({ result: 'failed', message: error.message, code: error.code } as const) : Promise.reject(error),
  );
  const entryId = crypto.randomUUID();
  await recordHistory({
    id: entryId,
    at: Date.now(),
    sharerOrigin: pending.origin,
    name: pending.claims.name,
    owner: pending.claims.ownerDisplayName ?? pending.claims.owner,
    accountId: account.id,
    accountLabel: account.cloudId,
    result: outcome.result,
    ...(outcome.result === 'failed' && { message: outcome.message }),
    ...((outcome.result === 'mounted' || outcome.result === 'already-mounted') && { path: outcome.path }),
    ...(await historyIdentity(pending)),
  });
  await rememberRetryLink(entryId, pending.shareUrl);
  if (outcome.result !== 'failed') await dropPending(tabId);
  return outcome;
}

/** The sharer's kind from its own status.php (read from the share tab); the page's claim only as a fallback. */
async function sharerKind(sharer: Sharer, claimed: ServerKind): Promise<ServerKind> {
  const answer = await sharer.ask({ op: 'status' });
  try {
    const status = classifyStatus(JSON.parse(answer.body));
    if (status.ok) return status.status.kind;
  } catch {
    /* not JSON */
  }
  // SPA servers were already confirmed through tokeninfo; a server without status.php is no OC/NC.
  if (claimed === 'ocis') return claimed;
  throw new InstanceError('bad-response', 'The sharer’s server does not answer like an ownCloud or Nextcloud server.');
}

async function mountOn(account: Account, appPassword: string, pending: PendingConfirmation, password: string): Promise<MountOutcome> {
  const url = parseShareUrl(pending.shareUrl);
  if (!url) return { result: 'failed', message: 'The share link is not valid.' };
  const sharer = sharerFor(pending);
  const kind = await sharerKind(sharer, pending.claims.kind);
  const bridge = await bridgeFor(account);
  const plan = planMount({ sharer: kind, instance: account.kind, hasBridge: bridge !== undefined });
  if (!plan.ok) return { result: 'failed', message: plan.reason };
  // The sharer confirms the link exists and the password opens it, and names it (password pages do not).
  const info = interpretShareInfo(await sharer.ask({ op: 'shareinfo', token: url.token, password }), password.length > 0);

  const instance = new InstanceClient({ baseUrl: account.baseUrl, loginName: account.loginName, appPassword });
  return runMount(
    {
      share: {
        remote: `${url.origin}${url.basePath}`,
        token: url.token,
        name: info.name,
        owner: pending.claims.owner,
        ownerDisplayName: pending.claims.ownerDisplayName,
        isProtected: pending.claims.isProtected || password.length > 0,
      },
      password,
      cloudId: account.cloudId,
      instanceBaseUrl: account.baseUrl,
      paths: plan.paths,
    },
    {
      instance,
      createFederatedShare: async (cloudId, linkPassword) =>
        interpretCreateFederatedShare(
          await sharer.ask({ op: 'createFederatedShare', token: url.token, shareWith: cloudId, password: linkPassword }),
        ),
      mountWithSession: (mount: PublicLinkMount) => mountWithBrowserSession(account.baseUrl, mount),
      handOff: async (handOffUrl) => {
        await browser.tabs.create({ url: handOffUrl });
      },
      bridge,
    },
  );
}

/** The user's bridge companion (another account than the target), with its own app password, if one is set up. */
async function bridgeFor(target: Account): Promise<BridgeAccount | undefined> {
  const bridge = (await listAccounts()).find((a) => a.isBridge && a.id !== target.id);
  const appPassword = bridge && (await getAppPassword(bridge.id));
  if (!bridge || !appPassword) return undefined;
  const api = new InstanceClient({ baseUrl: bridge.baseUrl, loginName: bridge.loginName, appPassword });
  return { api, baseUrl: bridge.baseUrl, userId: bridge.userId, displayName: bridge.displayName, cloudId: bridge.cloudId };
}
