import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';
import { STATUS_CHECK_MS } from '@/lib/timeouts';
import type { Account } from './store';
import { formatCloudId, type InstanceAddress } from '@/lib/instance/address';
import { InstanceClient } from '@/lib/instance/client';
import { failWith, InstanceError } from '@/lib/instance/errors';
import { requestJson } from '@/lib/instance/http';
import type { ServerStatus } from '@/lib/instance/server-status';
import { classifyStatus } from '@/lib/instance/status-php';

type FetchOption = { fetchImpl?: typeof fetch };

/**
 * Step 1 of connecting: what kind of server lives at this address. status.php answers any origin (CORS `*` on
 * ownCloud, Nextcloud, oCIS and the companion), so this runs BEFORE the host permission is asked for: nobody is
 * asked to allow a server that turns out not to be one. Failures name the address tried.
 */
export async function probeInstance(address: InstanceAddress, options: FetchOption = {}): Promise<ServerStatus> {
  const server = address.baseUrl;
  const body = await requestJson(`${server}/status.php`, {
    ...options,
    headers: { Accept: 'application/json' },
    timeoutMs: STATUS_CHECK_MS,
  }).catch((error: unknown) => {
    if (
      error instanceof InstanceError &&
      (error.code === 'not-found' || error.code === 'bad-response' || error.code === 'forbidden')
    ) {
      throw failWith('bad-response', { code: 'not-a-cloud', server }, error.status);
    }
    throw error;
  });
  const result = classifyStatus(body);
  if (!result.ok) throw failWith('bad-response', { code: result.reason, server });
  if (result.status.maintenance) throw failWith('rejected', { code: 'maintenance', server });
  return result.status;
}

/** Which sign-in the server offers: Login Flow v2 (the extension never sees the password) or a pasted app password. */
export function signInMethod(status: ServerStatus): 'login-flow' | 'app-password' | 'unsupported' {
  if (status.kind === 'nextcloud' || status.kind === 'companion') return 'login-flow';
  if (status.kind === 'owncloud') return 'app-password';
  return 'unsupported';
}

/** Where ownCloud 10 users create an app password (Settings → Security → App passwords). */
export function appPasswordPage(baseUrl: string): string {
  return `${baseUrl}/index.php/settings/personal?sectionid=security`;
}

/** Each part reads on its own: a server that hides one (or sends it broken) still has the other read. */
const CapabilitiesAnswer = v.object({
  version: v.fallback(v.optional(v.object({ string: v.pipe(v.string(), v.nonEmpty()) })), undefined),
  capabilities: v.fallback(
    v.optional(v.object({ files_sharing: v.object({ federation: v.object({ incoming: v.boolean() }) }) })),
    undefined,
  ),
});

/**
 * What the capabilities say about the instance that connecting cares about (docs/protocols.md#server-status,
 * docs/protocols.md#capabilities).
 */
export function readCapabilities(data: unknown): { version?: string; acceptsFederatedShares?: boolean } {
  const root = readAnswer(CapabilitiesAnswer, data);
  const version = root?.version?.string;
  const incoming = root?.capabilities?.files_sharing.federation.incoming;
  return { ...(version && { version }), ...(typeof incoming === 'boolean' && { acceptsFederatedShares: incoming }) };
}

/**
 * Last step: the credentials work, and who they belong to. The cloud id uses the uid from the server, which
 * can differ from the login name (LDAP, e-mail logins).
 */
export async function completeConnection(
  address: InstanceAddress,
  status: ServerStatus,
  credentials: { loginName: string; appPassword: string },
  options: FetchOption & { id?: string; now?: number; isBridge?: boolean } = {},
): Promise<Account> {
  const client = new InstanceClient({ baseUrl: address.baseUrl, ...credentials }, options);
  const user = await client.currentUser().catch((error: unknown) => {
    if (error instanceof InstanceError && error.code === 'unauthorized') {
      throw failWith('unauthorized', { code: 'login-rejected', server: address.baseUrl }, error.status);
    }
    throw error;
  });
  // Capabilities need a login on ownCloud 10, so they are read here; a server that hides them is no reason to fail.
  const capabilities = readCapabilities(
    await client.ocs('GET', '/ocs/v2.php/cloud/capabilities').catch(() => undefined),
  );
  return {
    id: options.id ?? crypto.randomUUID(),
    baseUrl: address.baseUrl,
    kind: status.kind,
    version: status.version || capabilities.version || '',
    productName: status.productName,
    userId: user.id,
    loginName: credentials.loginName,
    displayName: user.displayName,
    cloudId: formatCloudId(user.id, address.baseUrl),
    addedAt: options.now ?? Date.now(),
    ...(options.isBridge && { isBridge: true }),
    ...(capabilities.acceptsFederatedShares !== undefined && {
      acceptsFederatedShares: capabilities.acceptsFederatedShares,
    }),
  };
}
