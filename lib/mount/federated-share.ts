import { InstanceError } from '@/lib/instance/errors';

/**
 * Nextcloud's (and the companion's) public-link-to-federated-share endpoint (protocol.md §2.4):
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

/** Success is 200 {"remoteUrl": …}; failures are 400 {"message": …}, brute-force throttling 429. */
export function interpretCreateFederatedShare(answer: RawAnswer): void {
  let message: string | undefined;
  let remoteUrl: unknown;
  try {
    const parsed = JSON.parse(answer.body) as { message?: unknown; remoteUrl?: unknown } | null;
    if (typeof parsed?.message === 'string' && parsed.message) message = parsed.message;
    remoteUrl = parsed?.remoteUrl;
  } catch {
    /* not JSON: judged by the status below */
  }
  if (answer.status === 200 && typeof remoteUrl === 'string') return;
  if (answer.status === 0) throw new InstanceError('unreachable', 'The sharer’s server could not be reached.');
  if (answer.status === 429) throw new InstanceError('rejected', 'The sharer’s server is throttling attempts. Wait a minute and try again.', 429);
  if (answer.status === 404 || answer.status === 405) {
    throw new InstanceError('rejected', 'The sharer’s server cannot send federated shares from a link.', answer.status);
  }
  if (answer.status >= 500) throw new InstanceError('server-error', 'The sharer’s server had an internal error. Try again later.', answer.status);
  if (answer.status === 200) throw new InstanceError('bad-response', 'The sharer’s server answered with something unexpected.', 200);
  throw new InstanceError('rejected', message ?? `The sharer’s server refused (HTTP ${answer.status}).`, answer.status);
}
