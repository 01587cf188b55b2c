import { InstanceError } from './errors';
import { request, requestJson, type HttpOptions } from './http';

/**
 * Nextcloud Login Flow v2 (protocol.md §4.1), also spoken by our companion: the extension never sees the
 * login password. 1) POST {base}/index.php/login/v2 → a login URL for the user's browser and a poll token;
 * 2) the user signs in and grants access in a tab; 3) polling answers 404 until then, and once 200 with
 * {server, loginName, appPassword}.
 */
export interface LoginFlowStart {
  loginUrl: string;
  pollEndpoint: string;
  pollToken: string;
}

export interface LoginFlowResult {
  server: string;
  loginName: string;
  appPassword: string;
}

type Fetch = Pick<HttpOptions, 'fetchImpl'>;

/** Both URLs must stay on the instance's own origin: the answer decides where the user types a password. */
function sameOrigin(url: unknown, origin: string): string {
  if (typeof url !== 'string') throw new InstanceError('bad-response', 'The server started a login without the addresses it needs.');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InstanceError('bad-response', 'The server sent an invalid login address.');
  }
  if (parsed.origin !== origin) {
    throw new InstanceError('bad-response', `The server sent a login address on another site (${parsed.origin}); refusing it.`);
  }
  return parsed.href;
}

export async function startLoginFlow(baseUrl: string, options: Fetch = {}): Promise<LoginFlowStart> {
  const origin = new URL(baseUrl).origin;
  const body = (await requestJson(`${baseUrl}/index.php/login/v2`, { ...options, method: 'POST', headers: { Accept: 'application/json' } })) as {
    poll?: { token?: unknown; endpoint?: unknown };
    login?: unknown;
  } | null;
  const pollToken = body?.poll?.token;
  if (typeof pollToken !== 'string' || !pollToken) throw new InstanceError('bad-response', 'The server started a login without a poll token.');
  return { loginUrl: sameOrigin(body?.login, origin), pollEndpoint: sameOrigin(body?.poll?.endpoint, origin), pollToken };
}

/** One poll: the result once the user granted access, undefined while they have not yet. */
export async function pollLoginFlow(flow: LoginFlowStart, options: Fetch = {}): Promise<LoginFlowResult | undefined> {
  const response = await request(flow.pollEndpoint, {
    ...options,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ token: flow.pollToken }).toString(),
  });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new InstanceError('rejected', `The login was refused (HTTP ${response.status}).`, response.status);
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  const { server, loginName, appPassword } = body ?? {};
  if (typeof server !== 'string' || typeof loginName !== 'string' || typeof appPassword !== 'string' || !appPassword) {
    throw new InstanceError('bad-response', 'The server finished the login without an app password.');
  }
  return { server, loginName, appPassword };
}

export interface PollUntilOptions extends Fetch {
  intervalMs?: number;
  /** Login Flow v2 tokens live 20 minutes on the server. */
  timeoutMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

export async function waitForLogin(flow: LoginFlowStart, options: PollUntilOptions = {}): Promise<LoginFlowResult> {
  const { intervalMs = 2000, timeoutMs = 20 * 60 * 1000, signal, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = options;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new InstanceError('rejected', 'The login was cancelled.');
    const result = await pollLoginFlow(flow, options);
    if (result) return result;
    await sleep(intervalMs);
  }
  throw new InstanceError('timeout', 'The login was not completed in time. Start connecting again.');
}
