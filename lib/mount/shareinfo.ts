import { InstanceError } from '@/lib/instance/errors';
import type { SharerAnswer } from '@/lib/messaging/protocol';

/**
 * The sharer's own word on a link (`POST {base}/index.php/apps/files_sharing/shareinfo`, protocol.md §1.6):
 * it exists, the password opens it, and what it is called. Asked before anything is mounted, so a deleted link
 * or a wrong password is reported as such instead of as a failure further down the line.
 */
export interface ShareInfo {
  name: string;
  isFolder: boolean;
}

export function shareInfoRequestBody(token: string, password: string): string {
  // ownCloud reads `t` from the query, Nextcloud from the body: the caller sends it in both. depth=0 keeps
  // Nextcloud from listing the whole tree.
  return new URLSearchParams({ t: token, password, dir: '/', depth: '0' }).toString();
}

export function interpretShareInfo(answer: SharerAnswer, passwordGiven: boolean): ShareInfo {
  if (answer.status === 0) throw new InstanceError('unreachable', 'The sharer’s server could not be reached.');
  if (answer.status === 404) {
    throw new InstanceError('not-found', 'This link does not exist any more (deleted or expired), or its server does not let it be added to another cloud.', 404);
  }
  if (answer.status === 403) {
    throw new InstanceError(
      'rejected',
      passwordGiven ? 'The share password is wrong. Check it with the person who shared it.' : 'This share is protected by a password: type it to add the share.',
      403,
    );
  }
  if (answer.status === 429) throw new InstanceError('rejected', 'The sharer’s server is throttling attempts. Wait a minute and try again.', 429);
  if (answer.status >= 500) throw new InstanceError('server-error', 'The sharer’s server had an internal error. Try again later.', answer.status);
  let data: { name?: unknown; type?: unknown; mimetype?: unknown } | undefined;
  try {
    data = (JSON.parse(answer.body) as { data?: typeof data } | null)?.data;
  } catch {
    /* judged below */
  }
  if (answer.status !== 200 || typeof data?.name !== 'string' || !data.name) {
    throw new InstanceError('bad-response', 'The sharer’s server answered with something unexpected about this link.', answer.status);
  }
  return { name: data.name, isFolder: data.type === 'dir' || data.mimetype === 'httpd/unix-directory' };
}
