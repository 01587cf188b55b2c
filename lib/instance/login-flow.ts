import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';
import { LOGIN_FLOW_MS, LOGIN_POLL_INTERVAL_MS } from '@/lib/timeouts';
import { failWith } from './errors';
import { request, requestJson, type HttpOptions } from './http';

/**
 * Nextcloud Login Flow v2 (docs/protocols.md#login-flow-v2), also spoken by our companion: the extension never sees the
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

/** The start's answer; both URLs are checked on their own (sameOrigin), so any value is read here. */
const StartAnswer = v.object({
  poll: v.object({ token: v.pipe(v.string(), v.nonEmpty()), endpoint: v.optional(v.unknown()) }),
  login: v.optional(v.unknown()),
});
const GrantAnswer = v.object({
  server: v.string(),
  loginName: v.string(),
  appPassword: v.pipe(v.string(), v.nonEmpty()),
});

/** Both URLs must stay on the instance's own origin: the answer decides where the user types a password. */
function sameOrigin(url: unknown, origin: string): string {
  if (typeof url !== 'string') throw failWith('bad-response', { code: 'login-bad-answer', server: origin });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw failWith('bad-response', { code: 'login-bad-answer', server: origin });
  }
  if (parsed.origin !== origin) {
    throw failWith('bad-response', { code: 'login-other-site', server: origin, site: parsed.origin });
  }
  return parsed.href;
}

export async function startLoginFlow(baseUrl: string, options: Fetch = {}): Promise<LoginFlowStart> {
  const origin = new URL(baseUrl).origin;
  const body = readAnswer(
    StartAnswer,
    await requestJson(`${baseUrl}/index.php/login/v2`, {
      ...options,
      method: 'POST',
      headers: { Accept: 'application/json' },
    }),
  );
  if (!body) throw failWith('bad-response', { code: 'login-bad-answer', server: origin });
  return {
    loginUrl: sameOrigin(body.login, origin),
    pollEndpoint: sameOrigin(body.poll.endpoint, origin),
    pollToken: body.poll.token,
  };
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
  if (!response.ok)
    throw failWith('rejected', { code: 'login-rejected', server: new URL(flow.pollEndpoint).origin }, response.status);
  const body = readAnswer(GrantAnswer, await response.json().catch(() => null));
  if (!body) throw failWith('bad-response', { code: 'login-bad-answer', server: new URL(flow.pollEndpoint).origin });
  return body;
}

export interface PollUntilOptions extends Fetch {
  intervalMs?: number;
  /** Login Flow v2 tokens live 20 minutes on the server. */
  timeoutMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

export async function waitForLogin(flow: LoginFlowStart, options: PollUntilOptions = {}): Promise<LoginFlowResult> {
  const {
    intervalMs = LOGIN_POLL_INTERVAL_MS,
    timeoutMs = LOGIN_FLOW_MS,
    signal,
    sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
  } = options;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw failWith('rejected', { code: 'login-cancelled' });
    const result = await pollLoginFlow(flow, options);
    if (result) return result;
    await sleep(intervalMs);
  }
  throw failWith('timeout', { code: 'login-timeout' });
}
