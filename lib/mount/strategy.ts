import type { Problem } from '@/lib/problem';
import type { ServerKind } from '@/lib/share/types';

/**
 * Which way a public share gets onto the user's instance, per pair of servers (docs/protocols.md#compatibility-matrix).
 * Pure: it only ranks the paths; carrying them out is the background's job.
 */
export type MountPath =
  /** The sharer pushes a federated share to the user's cloud id; the instance then accepts the pending share. */
  | { via: 'create-federated-share' }
  /** The instance mounts the public link itself (`/index.php/apps/files_sharing/external`). */
  | { via: 'instance-external'; auth: 'app-password' | 'session-request-token' }
  /** ownCloud 10's own hand-off page (`#remote=…&token=…`), where ownCloud asks the user to confirm. */
  | { via: 'instance-handoff' }
  /** A companion server mounts the link for the user's bridge account and shares it on over OCM. */
  | { via: 'bridge' };

export interface PairFacts {
  sharer: ServerKind;
  instance: ServerKind;
  /** The user configured a companion server as a bridge. */
  hasBridge: boolean;
}

export type MountPlan = { ok: true; paths: MountPath[] } | { ok: false; problem: Problem };

/** Candidate paths, best first. The caller tries them in order and stops at the first that works. */
export function planMount({ sharer, instance, hasBridge }: PairFacts): MountPlan {
  const paths: MountPath[] = [];
  const bridge = () => hasBridge && paths.push({ via: 'bridge' });

  if (instance === 'ocis') {
    // Infinite Scale / OpenCloud accept federated shares only from providers their administrator trusts, after an
    // invitation (docs/server.md, "Infinite Scale and OpenCloud"): nothing here can deliver to them.
    return { ok: false, problem: { code: 'instance-is-ocis' } };
  }
  // Infinite Scale / OpenCloud links live on their own WebDAV (public-files/TOKEN). No ownCloud or Nextcloud server
  // reads it, but the companion does: as the user's instance it mounts the link itself, otherwise the user's bridge
  // mounts it and passes it on.
  if (sharer === 'ocis') {
    if (instance === 'companion') paths.push({ via: 'instance-external', auth: 'app-password' });
    else bridge();
    return paths.length ? { ok: true, paths } : { ok: false, problem: { code: 'sharer-ocis-needs-bridge' } };
  }

  // Nextcloud and the companion can push a real federated share (with its own token the owner can revoke).
  if (sharer === 'nextcloud' || sharer === 'companion') paths.push({ via: 'create-federated-share' });

  // Instances that mount a public link themselves.
  if (instance === 'companion') paths.push({ via: 'instance-external', auth: 'app-password' });
  if (instance === 'owncloud') {
    paths.push({ via: 'instance-external', auth: 'session-request-token' }, { via: 'instance-handoff' });
  }

  // ownCloud 10 links into Nextcloud: Nextcloud only knows askForFederatedShare, which needs the sharer's
  // createFederatedShare — ownCloud 10 has none. Only a bridge helps.
  if (sharer === 'owncloud' && instance === 'nextcloud') bridge();

  return paths.length ? { ok: true, paths } : { ok: false, problem: { code: 'pair-needs-bridge', sharer, instance } };
}
