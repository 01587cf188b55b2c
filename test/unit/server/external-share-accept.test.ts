import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../../lib/server/store/sqlite';

// Accepting a pending remote share is one conditional update: of two accepts of the same share (a double click, a
// client's retry, two nodes of a cluster) exactly one wins. The PostgreSQL store is held to the same by
// test/integration/faults.cluster.test.ts, with two nodes racing.

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore.acceptExternalShare', () => {
  it('accepts a pending share once; a second accept finds nothing pending and changes nothing', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atc-accept-'));
    const store = new SqliteStore(path.join(dir, 'server.db'));
    try {
      const share = await store.addExternalShare({
        uid: 'bob', kind: 'user', remote: 'https://a.example', remoteId: '7', shareToken: 'secret', password: '', name: 'Docs',
        owner: 'alice', mountpoint: '{{TemporaryMountPointName#/Docs}}', accepted: false, itemType: 'folder', davUrl: 'https://a.example/dav/',
      });
      const both = await Promise.all([store.acceptExternalShare(share.id, '/Docs', 'folder'), store.acceptExternalShare(share.id, '/Docs (2)', 'file')]);
      expect(both).toEqual([true, false]);
      expect(await store.getExternalShare('bob', share.id)).toMatchObject({ accepted: true, mountpoint: '/Docs', itemType: 'folder' });
    } finally {
      await store.close();
    }
  });
});
