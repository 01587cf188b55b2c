import { describe, expect, it } from 'vitest';
import { relatedPeerIdentities } from '../../../lib/server/store/peer-relations';
import { hostIdentity } from '../../../lib/server/federation/signature';

describe('relatedPeerIdentities', () => {
  it('names the server of a cloud id or a remote in the form its pin has (hostIdentity)', () => {
    const identities = relatedPeerIdentities([
      { address: 'bob@https://Cloud.Example:443/nextcloud/', is_cloud_id: 1 },
      { address: 'carol@example.org@other.example:8443', is_cloud_id: 1 },
      { address: 'HTTP://Mounted.Example.:80/', is_cloud_id: 0 },
      { address: 'https://cloud.example', is_cloud_id: 0 }, // the same server again: once
    ]);
    expect(identities).toEqual(['cloud.example', 'other.example:8443', 'mounted.example']);
    expect(identities).toContain(hostIdentity('https://CLOUD.example/'));
  });

  it('reads a remote as a URL, never as a cloud id, and skips what names no server', () => {
    expect(relatedPeerIdentities([{ address: 'https://user@evil.example', is_cloud_id: 0 }])).toEqual([]);
    expect(relatedPeerIdentities([{ address: 'no cloud id', is_cloud_id: 1 }])).toEqual([]);
  });
});
