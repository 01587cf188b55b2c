import { failWith } from '@/lib/instance/errors';
import { verify } from './arrival';
import { findShare } from './match';
import { linkMount, type MountDeps, type MountOutcome, type MountRequest } from './request';
import type { MountPath } from './strategy';

/**
 * The `instance-external` path: the user's instance mounts the public link itself (`files_sharing/external`), with
 * the app password, or on ownCloud 10 with the browser's session (owncloud-session.ts; skipped when not wired).
 */
export async function viaInstanceExternal(
  auth: Extract<MountPath, { via: 'instance-external' }>['auth'],
  request: MountRequest,
  deps: MountDeps,
): Promise<MountOutcome | undefined> {
  const mount = linkMount(request);
  if (auth === 'session-request-token') {
    if (!deps.mountWithSession) return undefined;
    await deps.mountWithSession(mount);
  } else {
    await deps.instance.mountPublicLink(mount);
  }
  const mounted = findShare(await deps.instance.remoteShares(), request.share);
  if (!mounted) throw failWith('bad-response', { code: 'instance-lost-share', server: request.cloudId });
  return verify(mounted, deps, request.cloudId);
}
