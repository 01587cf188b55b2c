import { InstanceError } from '@/lib/instance/errors';
import { request } from '@/lib/instance/http';
import type { PublicLinkMount } from '@/lib/instance/client';

/**
 * ownCloud 10's `external` endpoint demands the request token of a logged-in browser session and accepts no
 * app-password exemption (protocol.md §2.2). With the host permission for the user's own instance, the
 * background can read that token from the Files app page and send the session cookie with the mount request.
 * No session → the caller hands off to ownCloud's own confirmation page instead.
 */
const REQUEST_TOKEN = /<head[^>]*\sdata-requesttoken="([^"]+)"/;

export async function mountWithBrowserSession(baseUrl: string, mount: PublicLinkMount): Promise<void> {
  const page = await fetch(`${baseUrl}/index.php/apps/files/`, { credentials: 'include', redirect: 'manual', signal: AbortSignal.timeout(10_000) }).catch(() => {
    throw new InstanceError('unreachable');
  });
  const html = page.status === 200 ? await page.text() : '';
  const token = REQUEST_TOKEN.exec(html)?.[1];
  // A redirect to the login page means: no session. Not an error the user caused; the next path handles it.
  if (!token || /<body[^>]*id="body-login"/.test(html)) throw new InstanceError('rejected', 'You are not logged in to your ownCloud in this browser.');

  const response = await request(`${baseUrl}/index.php/apps/files_sharing/external`, {
    method: 'POST',
    headers: { requesttoken: decodeEntities(token), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...mount }).toString(),
    fetchImpl: (input, init) => fetch(input, { ...init, credentials: 'include' }),
  });
  const text = (await response.text()).trim();
  if (!response.ok) throw new InstanceError('rejected', `Your ownCloud refused the share (HTTP ${response.status}).`, response.status);
  if (!text) return;
  let body: { status?: string; data?: { message?: string } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new InstanceError('bad-response', 'Your ownCloud answered the mount request with something unexpected.');
  }
  if (body.status === 'error') throw new InstanceError('rejected', body.data?.message ?? 'Your ownCloud could not add the share.');
}

function decodeEntities(value: string): string {
  return value.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&').replace(/&quot;/g, '"');
}
