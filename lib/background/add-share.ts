import { browser } from 'wxt/browser';
import { getAccount, getAppPassword, listAccounts, type Account } from '@/lib/accounts/store';
import {
  dropPending,
  loadPending,
  loadPreparation,
  loadSharerAsked,
  noteSharerAsked,
  savePreparation,
} from '@/lib/confirm/store';
import { isExpired } from '@/lib/confirm/pending';
import { usablePreparation, type Preparation } from '@/lib/confirm/preparation';
import { historyIdentity } from '@/lib/history/identity';
import { rememberRetryLink } from '@/lib/history/retry-links';
import { recordHistory } from '@/lib/history/store';
import { InstanceClient, type PublicLinkMount } from '@/lib/instance/client';
import { failWith, InstanceError, problemFrom } from '@/lib/instance/errors';
import { originPattern } from '@/lib/instance/address';
import type { PendingConfirmation } from '@/lib/messaging/protocol';
import type { BridgeAccount, MountDeps, MountOutcome, MountRequest } from '@/lib/mount/request';
import { hasNoCopy, runMount } from '@/lib/mount/run';
import { planMount } from '@/lib/mount/strategy';
import { ProblemError, type Problem } from '@/lib/problem';
import { parseShareUrl } from '@/lib/share/url';
import type { ServerKind, ShareUrl } from '@/lib/share/types';
import { mountWithBrowserSession, sessionRequestToken } from '@/lib/mount/owncloud-session';
import { sharerFor } from '@/lib/sharer/carrier';
import { interpretCreateFederatedShare } from '@/lib/sharer/create-federated-share';
import { interpretPublicDav, shareInfoOf } from '@/lib/sharer/public-dav';
import { interpretShareInfo, type ShareInfo } from '@/lib/sharer/shareinfo';
import { sharerKindOf } from '@/lib/sharer/status';
import { SHARER_ASKED_VALID_MS } from '@/lib/timeouts';

/**
 * The background's side of adding a share, in two parts:
 * - `prepareAdd`, while the confirmation window is open: the checks that change nothing (the sharer's kind and its
 *   word on the link, whether the user's cloud already holds the share, ownCloud's session token), kept with the
 *   pending confirmation in session storage (it survives the MV3 worker stopping);
 * - `addShare`, on the confirming click: what the password changes is asked again, then the mount and its check.
 * Origin and token come from the pending confirmation (built from the tab URL); the sharer's kind is asked of the
 * sharer itself, not taken from the page.
 */

interface AddContext {
  pending: PendingConfirmation;
  url: ShareUrl;
  account: Account;
  appPassword: string;
}

/** Preparations running in this worker, so a quick "Add" waits for them instead of asking everything twice. */
const preparing = new Map<number, Promise<Preparation | undefined>>();

export async function prepareAdd(tabId: number, accountId: string): Promise<void> {
  const job = prepare(tabId, accountId).catch(() => undefined);
  preparing.set(tabId, job);
  try {
    await job;
  } finally {
    if (preparing.get(tabId) === job) preparing.delete(tabId);
  }
}

async function prepare(tabId: number, accountId: string): Promise<Preparation | undefined> {
  const context = await addContext(tabId, accountId);
  if ('problem' in context) return undefined;
  const { pending, url, account, appPassword } = context;
  const prepared: Preparation = { accountId: account.id, at: Date.now() };
  // Independent reads, side by side: the sharer's kind, its word on the link (only without a password: a guess
  // would count as a failed attempt), and ownCloud's session token.
  const [kind, info, token] = await Promise.all([
    sharerKind(context).catch(() => undefined),
    pending.claims.isProtected ? undefined : shareInfo(context, '', pending.claims.kind).catch(() => undefined),
    account.kind === 'owncloud' ? sessionRequestToken(account.baseUrl).catch(() => undefined) : undefined,
  ]);
  if (kind) prepared.sharerKind = kind;
  if (info) prepared.shareInfo = info;
  if (token) prepared.requestToken = token;
  if (kind && info) {
    const setup = await mountSetup({ pending, url, account, appPassword }, kind, info, '', prepared);
    if (!('problem' in setup)) prepared.noCopy = await hasNoCopy(setup.request, setup.deps).catch(() => undefined);
  }
  await savePreparation(tabId, prepared);
  return prepared;
}

export async function addShare(tabId: number, accountId: string, password: string): Promise<MountOutcome> {
  const context = await addContext(tabId, accountId);
  if ('problem' in context) return { result: 'failed', problem: context.problem };
  const { pending, account } = context;
  const outcome = await mountOn(context, password).catch((error: unknown): MountOutcome => {
    if (error instanceof InstanceError || error instanceof ProblemError)
      return { result: 'failed', problem: problemFrom(error, 'sharer', context.url.origin) };
    throw error;
  });
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
    ...(outcome.result === 'failed' && { problem: outcome.problem }),
    ...((outcome.result === 'mounted' || outcome.result === 'already-mounted') && { path: outcome.path }),
    ...(await historyIdentity(pending)),
  });
  await rememberRetryLink(entryId, pending.shareUrl);
  if (outcome.result !== 'failed') await dropPending(tabId);
  return outcome;
}

/** Everything an add needs that is not a server's answer: the confirmation, the account, the permission. */
async function addContext(tabId: number, accountId: string): Promise<AddContext | { problem: Problem }> {
  const pending = await loadPending(tabId);
  if (!pending || isExpired(pending, Date.now())) return { problem: { code: 'confirmation-expired' } };
  const url = parseShareUrl(pending.shareUrl);
  if (!url) return { problem: { code: 'link-invalid' } };
  const account = await getAccount(accountId);
  const appPassword = account && (await getAppPassword(account.id));
  if (!account || !appPassword) return { problem: { code: 'not-connected' } };
  if (account.acceptsFederatedShares === false)
    return { problem: { code: 'instance-refuses-federation', server: account.cloudId } };
  if (!(await browser.permissions.contains({ origins: [originPattern(account.baseUrl)] }))) {
    return { problem: { code: 'permission-missing', server: account.baseUrl } };
  }
  return { pending, url, account, appPassword };
}

/** The sharer's kind from its own status.php (read from the share tab); the page's claim only as a fallback. */
async function sharerKind({ pending }: AddContext): Promise<ServerKind> {
  const { origin, claims } = pending;
  const kind = sharerKindOf(await sharerFor(pending).ask({ op: 'status' }));
  if (kind) return kind;
  // SPA servers were already confirmed through tokeninfo; a server without status.php is no OC/NC.
  if (claims.kind === 'ocis') return claims.kind;
  throw failWith('bad-response', { code: 'sharer-not-a-cloud', server: origin });
}

/** The sharer confirms the link exists and the password opens it, and names it (password pages do not). */
async function shareInfo(context: AddContext, password: string, kind: ServerKind | undefined): Promise<ShareInfo> {
  const { pending, url } = context;
  if (kind === 'ocis') return ocisShareInfo(context, password);
  return interpretShareInfo(
    await sharerFor(pending).ask({ op: 'shareinfo', token: url.token, password }),
    password.length > 0,
    url.origin,
  );
}

/**
 * Infinite Scale / OpenCloud have no shareinfo: the link's public WebDAV says the same (it opens with this password;
 * folder or file). Depth 0 first; only a root without a file id (a file link's wrapper) is listed, to name its file.
 */
async function ocisShareInfo({ pending, url }: AddContext, password: string): Promise<ShareInfo> {
  const ask = async (depth: 0 | 1) =>
    interpretPublicDav(
      await sharerFor(pending).ask({ op: 'publicdav', token: url.token, password, depth }),
      password.length > 0,
      url.origin,
    );
  const first = shareInfoOf(await ask(0), url.token);
  if (first !== 'list-children') return first;
  const listed = shareInfoOf(await ask(1), url.token);
  return listed === 'list-children' ? { name: url.token, isFolder: true } : listed;
}

async function mountOn(context: AddContext, password: string): Promise<MountOutcome> {
  const { pending, account } = context;
  const prepared = usablePreparation(
    await (preparing.get(pending.tabId) ?? loadPreparation(pending.tabId)),
    account.id,
    Date.now(),
  );
  const kind = prepared?.sharerKind ?? (await sharerKind(context));
  // Only the password can change the sharer's answer: without one, the answer from the preparation stands.
  const known = !password && prepared?.shareInfo;
  const info = known || (await shareInfo(context, password, kind));
  const setup = await mountSetup(context, kind, info, password, prepared);
  if ('problem' in setup) return { result: 'failed', problem: setup.problem };
  const checkedAbsent = !!known && prepared?.noCopy === true;
  // From here on the sharer may send the share: "no copy" is true only once. Should the worker stop mid-way, the
  // retry must look again (and find the share that arrived), not send a second one.
  if (checkedAbsent) await savePreparation(pending.tabId, { ...prepared, noCopy: false });
  return runMount(setup.request, setup.deps, { checkedAbsent });
}

/** The mount request and the calls it may make, for one account and one sharer. */
async function mountSetup(
  { pending, url, account, appPassword }: AddContext,
  kind: ServerKind,
  info: ShareInfo,
  password: string,
  prepared: Preparation | undefined,
): Promise<{ request: MountRequest; deps: MountDeps } | { problem: Problem }> {
  const bridge = await bridgeFor(account);
  const plan = planMount({ sharer: kind, instance: account.kind, hasBridge: bridge !== undefined });
  if (!plan.ok) return { problem: plan.problem };
  const request: MountRequest = {
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
  };
  const names = {
    sharer: `${url.origin}${url.basePath}`,
    instance: account.cloudId,
    passwordGiven: password.length > 0,
  };
  const deps: MountDeps = {
    instance: new InstanceClient({ baseUrl: account.baseUrl, loginName: account.loginName, appPassword }),
    createFederatedShare: async (cloudId, linkPassword) => {
      // Asked moments ago by an add the stopped worker never finished: that share is on its way; wait for it.
      const asked = await loadSharerAsked(pending.tabId);
      if (asked && asked.accountId === account.id && Date.now() - asked.at < SHARER_ASKED_VALID_MS) return;
      await noteSharerAsked(pending.tabId, { accountId: account.id, at: Date.now() });
      try {
        interpretCreateFederatedShare(
          await sharerFor(pending).ask({
            op: 'createFederatedShare',
            token: url.token,
            shareWith: cloudId,
            password: linkPassword,
          }),
          names,
        );
      } catch (error) {
        // The sharer said no: nothing is on its way, a retry may ask again.
        await noteSharerAsked(pending.tabId, null);
        throw error;
      }
    },
    mountWithSession: (mount: PublicLinkMount) =>
      mountWithBrowserSession(account.baseUrl, mount, prepared?.requestToken),
    handOff: async (handOffUrl) => {
      await browser.tabs.create({ url: handOffUrl });
    },
    bridge,
  };
  return { request, deps };
}

/** The user's bridge companion (another account than the target), with its own app password, if one is set up. */
async function bridgeFor(target: Account): Promise<BridgeAccount | undefined> {
  const bridge = (await listAccounts()).find((a) => a.isBridge && a.id !== target.id);
  const appPassword = bridge && (await getAppPassword(bridge.id));
  if (!bridge || !appPassword) return undefined;
  const api = new InstanceClient({ baseUrl: bridge.baseUrl, loginName: bridge.loginName, appPassword });
  return {
    api,
    baseUrl: bridge.baseUrl,
    userId: bridge.userId,
    displayName: bridge.displayName,
    cloudId: bridge.cloudId,
  };
}
