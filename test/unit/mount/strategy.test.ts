import { describe, expect, it } from 'vitest';
import { planMount, type MountPath } from '@/lib/mount/strategy';
import type { ServerKind } from '@/lib/share/types';

const via = (sharer: ServerKind, instance: ServerKind, hasBridge = false) => {
  const plan = planMount({ sharer, instance, hasBridge });
  return plan.ok ? plan.paths.map((p: MountPath) => ('auth' in p ? `${p.via}:${p.auth}` : p.via)) : plan.problem;
};

describe('planMount: the best path per sharer × instance (docs/protocols.md#compatibility-matrix)', () => {
  it.each<[ServerKind, ServerKind, string[]]>([
    ['nextcloud', 'nextcloud', ['create-federated-share']],
    [
      'nextcloud',
      'owncloud',
      ['create-federated-share', 'instance-external:session-request-token', 'instance-handoff'],
    ],
    ['nextcloud', 'companion', ['create-federated-share', 'instance-external:app-password']],
    ['companion', 'nextcloud', ['create-federated-share']],
    ['companion', 'companion', ['create-federated-share', 'instance-external:app-password']],
    [
      'companion',
      'owncloud',
      ['create-federated-share', 'instance-external:session-request-token', 'instance-handoff'],
    ],
    ['owncloud', 'owncloud', ['instance-external:session-request-token', 'instance-handoff']],
    ['owncloud', 'companion', ['instance-external:app-password']],
  ])('%s link into %s', (sharer, instance, expected) => {
    expect(via(sharer, instance)).toEqual(expected);
    // A bridge is only a fallback for pairs that have no direct path.
    expect(via(sharer, instance, true)).toEqual(expected);
  });

  it('ownCloud 10 links into Nextcloud need the bridge', () => {
    expect(via('owncloud', 'nextcloud', true)).toEqual(['bridge']);
    expect(via('owncloud', 'nextcloud')).toEqual({
      code: 'pair-needs-bridge',
      sharer: 'owncloud',
      instance: 'nextcloud',
    });
  });

  it('Infinite Scale / OpenCloud links go through the bridge into ownCloud and Nextcloud', () => {
    for (const instance of ['nextcloud', 'owncloud'] as const) {
      expect(via('ocis', instance, true)).toEqual(['bridge']);
      // Without one, the message says what a bridge does and where to set it up.
      expect(via('ocis', instance)).toEqual({ code: 'sharer-ocis-needs-bridge' });
    }
  });

  it('a companion instance mounts Infinite Scale / OpenCloud links itself, bridge or not', () => {
    expect(via('ocis', 'companion')).toEqual(['instance-external:app-password']);
    expect(via('ocis', 'companion', true)).toEqual(['instance-external:app-password']);
  });

  it('nothing can be added to an oCIS instance', () => {
    for (const sharer of ['nextcloud', 'owncloud', 'companion', 'ocis'] as const) {
      expect(via(sharer, 'ocis', true)).toEqual({ code: 'instance-is-ocis' });
    }
  });
});
