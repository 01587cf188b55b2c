import { failWith, InstanceError } from '@/lib/instance/errors';
import type { SharerAnswer } from '@/lib/messaging/protocol';

/**
 * The sharer's own word on a link (`POST {base}/index.php/apps/files_sharing/shareinfo`, docs/protocols.md#shareinfo):
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

/** `sharer` names the sharer's server (its address) in the problems. */
export function interpretShareInfo(answer: SharerAnswer, passwordGiven: boolean, sharer: string): ShareInfo {
  if (answer.status === 0) throw new InstanceError('unreachable');
  if (answer.status === 404) throw failWith('not-found', { code: 'link-gone', server: sharer }, 404);
  if (answer.status === 403) throw failWith('rejected', { code: passwordGiven ? 'password-wrong' : 'password-needed' }, 403);
  if (answer.status === 429) throw new InstanceError('rejected', undefined, 429, { failure: 'throttled' });
  if (answer.status >= 500) throw new InstanceError('server-error', undefined, answer.status);
  let data: { name?: unknown; type?: unknown; mimetype?: unknown } | undefined;
  try {
    data = (JSON.parse(answer.body) as { data?: typeof data } | null)?.data;
  } catch {
    /* judged below */
  }
  if (answer.status !== 200 || typeof data?.name !== 'string' || !data.name) {
    throw new InstanceError('bad-response', undefined, answer.status);
  }
  return { name: data.name, isFolder: data.type === 'dir' || data.mimetype === 'httpd/unix-directory' };
}
