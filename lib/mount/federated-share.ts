import { failWith, InstanceError } from '@/lib/instance/errors';

/**
 * Nextcloud's (and the companion's) public-link-to-federated-share endpoint (docs/protocols.md#create-federated-share):
 * `POST {sharer}/index.php/apps/federatedfilesharing/createFederatedShare` with shareWith, token, password.
 * It is called from the share tab itself (same origin, as the server's own page does), so the extension
 * needs no permission for the sharer and the sharer learns only the cloud id.
 */
export function createFederatedShareUrl(origin: string, basePath: string): string {
  return `${origin}${basePath}/index.php/apps/federatedfilesharing/createFederatedShare`;
}

export interface RawAnswer {
  status: number;
  body: string;
}

/**
 * Success is 200 {"remoteUrl": …}; failures are 400 {"message": …} (captures createfed-*), brute-force throttling
 * 429. The server's English message is matched to a problem here; it never reaches the user as it is.
 * `sharer` and `instance` name the two servers in the problems.
 */
export function interpretCreateFederatedShare(answer: RawAnswer, names: { sharer: string; instance: string; passwordGiven: boolean }): void {
  let message = '';
  let remoteUrl: unknown;
  try {
    const parsed = JSON.parse(answer.body) as { message?: unknown; remoteUrl?: unknown } | null;
    if (typeof parsed?.message === 'string') message = parsed.message;
    remoteUrl = parsed?.remoteUrl;
  } catch {
    /* not JSON: judged by the status below */
  }
  const { status } = answer;
  if (status === 200 && typeof remoteUrl === 'string') return;
  if (status === 0) throw new InstanceError('unreachable');
  if (status === 429) throw new InstanceError('rejected', undefined, 429, { failure: 'throttled' });
  if (status === 404 || status === 405) throw failWith('rejected', { code: 'sharer-cannot-federate', server: names.sharer }, status);
  if (status >= 500) throw new InstanceError('server-error', undefined, status);
  if (status === 200) throw new InstanceError('bad-response', undefined, 200);
  throw refusal(message, names, status);
}

function refusal(message: string, { sharer, instance, passwordGiven }: { sharer: string; instance: string; passwordGiven: boolean }, status: number) {
  // "No permission to access the share"
  if (/permission/i.test(message)) return failWith('rejected', { code: passwordGiven ? 'password-wrong' : 'password-needed' }, status);
  // "The requested share does not exist anymore" (Nextcloud), "Share not found" (companion)
  if (/not exist|not found/i.test(message)) return failWith('not-found', { code: 'link-gone', server: sharer }, status);
  // "Mounting file drop not supported"
  if (/file drop/i.test(message)) return failWith('rejected', { code: 'link-is-file-drop' }, status);
  // "Sharing … failed, could not find bob@…, maybe the server is currently unreachable …"
  if (/could not find|unreachable/i.test(message)) return failWith('rejected', { code: 'sharer-cannot-reach-instance', server: sharer, instance }, status);
  if (/cloud id/i.test(message)) return failWith('rejected', { code: 'sharer-refused-cloud-id', server: sharer }, status);
  // "This server doesn't support outgoing federated shares"
  if (/outgoing|federated shares/i.test(message)) return failWith('rejected', { code: 'sharer-cannot-federate', server: sharer }, status);
  return new InstanceError('rejected', message || undefined, status);
}
