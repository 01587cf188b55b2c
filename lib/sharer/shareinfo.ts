import * as v from 'valibot';
import { readJsonAnswer } from '@/lib/answer';
import { InstanceError } from '@/lib/instance/errors';
import type { ShareUrl } from '@/lib/share/types';
import { SHARER_SHAREINFO_MS } from '@/lib/timeouts';
import { linkFailure, serverFailure } from './failure';
import type { SharerAnswer, SharerCall } from './types';

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

export function shareInfoCall(url: ShareUrl, password: string): SharerCall {
  return {
    url: `${url.origin}${url.basePath}/index.php/apps/files_sharing/shareinfo?t=${encodeURIComponent(url.token)}`,
    init: {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: shareInfoRequestBody(url.token, password),
    },
    timeoutMs: SHARER_SHAREINFO_MS,
  };
}

/** ownCloud and Nextcloud: `{"data": {"name": …, "type": "dir" | "file", "mimetype": …}}`. */
const ShareInfoAnswer = v.object({
  data: v.object({
    name: v.pipe(v.string(), v.nonEmpty()),
    type: v.optional(v.unknown()),
    mimetype: v.optional(v.unknown()),
  }),
});

/** `sharer` names the sharer's server (its address) in the problems. */
export function interpretShareInfo(answer: SharerAnswer, passwordGiven: boolean, sharer: string): ShareInfo {
  const failure = serverFailure(answer.status) ?? linkFailure(answer.status, sharer, passwordGiven);
  if (failure) throw failure;
  const data = answer.status === 200 ? readJsonAnswer(ShareInfoAnswer, answer.body)?.data : undefined;
  if (!data) throw new InstanceError('bad-response', undefined, answer.status);
  return { name: data.name, isFolder: data.type === 'dir' || data.mimetype === 'httpd/unix-directory' };
}
