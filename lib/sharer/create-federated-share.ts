import * as v from 'valibot';
import { readJsonAnswer } from '@/lib/answer';
import { failWith, InstanceError } from '@/lib/instance/errors';
import type { ShareUrl } from '@/lib/share/types';
import { SHARER_CREATE_FEDERATED_SHARE_MS } from '@/lib/timeouts';
import { passwordFailure, serverFailure } from './failure';
import type { SharerAnswer, SharerCall } from './types';

/**
 * Nextcloud's (and the companion's) public-link-to-federated-share endpoint (docs/protocols.md#create-federated-share):
 * `POST {sharer}/index.php/apps/federatedfilesharing/createFederatedShare` with shareWith, token, password.
 * It is called from the share tab itself (same origin, as the server's own page does), so the extension
 * needs no permission for the sharer and the sharer learns only the cloud id.
 */
export function createFederatedShareUrl(origin: string, basePath: string): string {
  return `${origin}${basePath}/index.php/apps/federatedfilesharing/createFederatedShare`;
}

/** Sent with the tab's own cookies (same-origin), as the sharer's page itself sends it. */
export function createFederatedShareCall(url: ShareUrl, shareWith: string, password: string): SharerCall {
  return {
    url: createFederatedShareUrl(url.origin, url.basePath),
    init: {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ shareWith, token: url.token, password }).toString(),
    },
    timeoutMs: SHARER_CREATE_FEDERATED_SHARE_MS,
  };
}

const Accepted = v.object({ remoteUrl: v.string() });
const Refused = v.object({ message: v.string() });

/**
 * Success is 200 {"remoteUrl": …}; failures are 400 {"message": …}, brute-force throttling 429
 * (docs/protocols.md#create-federated-share). The server's English message is matched to a problem here; it never
 * reaches the user as it is.
 * `sharer` and `instance` name the two servers in the problems.
 */
export function interpretCreateFederatedShare(
  answer: SharerAnswer,
  names: { sharer: string; instance: string; passwordGiven: boolean },
): void {
  const { status } = answer;
  if (status === 200 && readJsonAnswer(Accepted, answer.body)) return;
  const failure = serverFailure(status);
  if (failure) throw failure;
  if (status === 404 || status === 405)
    throw failWith('rejected', { code: 'sharer-cannot-federate', server: names.sharer }, status);
  if (status === 200) throw new InstanceError('bad-response', undefined, 200);
  throw refusal(readJsonAnswer(Refused, answer.body)?.message ?? '', names, status);
}

function refusal(
  message: string,
  { sharer, instance, passwordGiven }: { sharer: string; instance: string; passwordGiven: boolean },
  status: number,
) {
  // "No permission to access the share"
  if (/permission/i.test(message)) return passwordFailure(status, passwordGiven);
  // "The requested share does not exist anymore" (Nextcloud), "Share not found" (companion)
  if (/not exist|not found/i.test(message)) return failWith('not-found', { code: 'link-gone', server: sharer }, status);
  // "Mounting file drop not supported"
  if (/file drop/i.test(message)) return failWith('rejected', { code: 'link-is-file-drop' }, status);
  // "Sharing … failed, could not find bob@…, maybe the server is currently unreachable …"
  if (/could not find|unreachable/i.test(message))
    return failWith('rejected', { code: 'sharer-cannot-reach-instance', server: sharer, instance }, status);
  if (/cloud id/i.test(message))
    return failWith('rejected', { code: 'sharer-refused-cloud-id', server: sharer }, status);
  // "This server doesn't support outgoing federated shares"
  if (/outgoing|federated shares/i.test(message))
    return failWith('rejected', { code: 'sharer-cannot-federate', server: sharer }, status);
  return new InstanceError('rejected', message || undefined, status);
}
