import { failWith } from '@/lib/instance/errors';
import { verify, waitForArrival } from './arrival';
import type { MountDeps, MountOutcome, MountRequest, Sleep } from './request';

/**
 * The `create-federated-share` path: the sharer (Nextcloud, the companion) pushes a federated share to the user's
 * cloud id (lib/sharer/create-federated-share.ts asks it); the instance then gets it pending and accepts it.
 */
export async function viaCreateFederatedShare(
  request: MountRequest,
  deps: MountDeps,
  sleep: Sleep,
): Promise<MountOutcome> {
  await deps.createFederatedShare(request.cloudId, request.password);
  const arrived = await waitForArrival(request.share, deps, sleep);
  if (!arrived) throw failWith('timeout', { code: 'share-not-arrived', server: request.cloudId, from: 'sharer' });
  return verify(arrived, deps, request.cloudId);
}
