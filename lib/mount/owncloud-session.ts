import type { PublicLinkMount } from '@/lib/instance/client';
import { InstanceError, refusalForStatus } from '@/lib/instance/errors';
import { externalRefusal, readExternalAnswer } from '@/lib/instance/external-answer';
import { request } from '@/lib/instance/http';
import { OWNCLOUD_SESSION_PAGE_MS } from '@/lib/timeouts';

/**
 * ownCloud 10's `external` endpoint demands the request token of a logged-in browser session and accepts no
 * app-password exemption (docs/protocols.md#external-mount). With the host permission for the user's own instance, the
 * background can read that token from the Files app page and send the session cookie with the mount request.
 * No session → the caller hands off to ownCloud's own confirmation page instead.
 *
 * Reading the token (a whole Files page) is the slow part, and changes nothing: it is done while the confirmation
 * is open (add-share.ts, `prepareAdd`), so after "Add" only the mount request itself remains.
 */
const REQUEST_TOKEN = /<head[^>]*\sdata-requesttoken="([^"]+)"/;

/** The request token of the browser's session on this ownCloud; undefined when the browser is not logged in. */
export async function sessionRequestToken(baseUrl: string): Promise<string | undefined> {
  const page = await fetch(`${baseUrl}/index.php/apps/files/`, {
    credentials: 'include',
    redirect: 'manual',
    signal: AbortSignal.timeout(OWNCLOUD_SESSION_PAGE_MS),
  }).catch(() => {
    throw new InstanceError('unreachable');
  });
  const html = page.status === 200 ? await page.text() : '';
  const token = REQUEST_TOKEN.exec(html)?.[1];
  // A redirect to the login page means: no session.
  if (!token || /<body[^>]*id="body-login"/.test(html)) return undefined;
  return decodeEntities(token);
}

/**
 * Mounts with the session: with `knownToken` (read earlier) first, and once more with a fresh token when ownCloud
 * says that one has expired. No session at all is not an error the user caused; the next path handles it.
 */
export async function mountWithBrowserSession(
  baseUrl: string,
  mount: PublicLinkMount,
  knownToken?: string,
): Promise<void> {
  if (knownToken) {
    try {
      return await postExternal(baseUrl, mount, knownToken);
    } catch (error) {
      if (!(error instanceof InstanceError && error.failure === 'unauthorized')) throw error;
    }
  }
  const noSession = () =>
    new InstanceError('rejected', undefined, undefined, { problem: { code: 'instance-no-session', server: baseUrl } });
  const token = await sessionRequestToken(baseUrl);
  if (!token) throw noSession();
  await postExternal(baseUrl, mount, token).catch((error: unknown) => {
    throw error instanceof InstanceError && error.failure === 'unauthorized' ? noSession() : error;
  });
}

async function postExternal(baseUrl: string, mount: PublicLinkMount, token: string): Promise<void> {
  const response = await request(`${baseUrl}/index.php/apps/files_sharing/external`, {
    method: 'POST',
    headers: { requesttoken: token, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...mount }).toString(),
    fetchImpl: (input, init) => fetch(input, { ...init, credentials: 'include' }),
  });
  const text = await response.text();
  // 412 (ownCloud's CSRF check failed): the token is stale.
  if (response.status === 412 || response.status === 401)
    throw new InstanceError('rejected', undefined, response.status, { failure: 'unauthorized' });
  if (!response.ok) throw refusalForStatus(response.status);
  // On this path only an explicit `error` status is a refusal; any other answer counts as mounted.
  const answer = readExternalAnswer(text);
  if (answer.status !== 'error') return;
  if (answer.refusal?.error === 'token_expired')
    throw new InstanceError('rejected', undefined, undefined, { failure: 'unauthorized' });
  throw externalRefusal(answer.refusal, mount.remote);
}

function decodeEntities(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"');
}
