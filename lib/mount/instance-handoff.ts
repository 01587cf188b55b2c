import type { MountDeps, MountOutcome, MountRequest } from './request';

/**
 * The ownCloud 10 hand-off URL, exactly as ownCloud's own "Add to" button builds it
 * (docs/protocols.md#owncloud-10-hand-off).
 */
export function handOffUrl(instanceBaseUrl: string, share: MountRequest['share']): string {
  const params = [
    ['remote', share.remote],
    ['token', share.token],
    ['owner', share.owner ?? ''],
    ['ownerDisplayName', share.ownerDisplayName ?? share.owner ?? ''],
    ['name', share.name ?? ''],
    ['protected', share.isProtected ? '1' : '0'],
  ];
  const fragment = params.map(([k, v]) => `${k}=${encodeURIComponent(v!)}`).join('&');
  return `${instanceBaseUrl}/index.php/apps/files#${fragment}`;
}

/**
 * The `instance-handoff` path: ownCloud 10's own confirmation page, where ownCloud asks the user (skipped when not
 * wired).
 */
export async function viaInstanceHandoff(request: MountRequest, deps: MountDeps): Promise<MountOutcome | undefined> {
  if (!deps.handOff) return undefined;
  await deps.handOff(handOffUrl(request.instanceBaseUrl, request.share));
  return { result: 'handed-off' };
}
