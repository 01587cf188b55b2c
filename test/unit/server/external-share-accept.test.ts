import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../../lib/server/store/sqlite';
import { MIGRATIONS } from '../../../lib/server/store/migrations';

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
        uid: 'bob',
        kind: 'user',
        remote: 'https://a.example',
        remoteId: '7',
        shareToken: 'secret',
        password: '',
        name: 'Docs',
        owner: 'alice',
        mountpoint: '{{TemporaryMountPointName#/Docs}}',
        accepted: false,
        itemType: 'folder',
        davUrl: 'https://a.example/dav/',
      });
      const both = await Promise.all([
        store.acceptExternalShare(share.id, '/Docs', 'folder'),
        store.acceptExternalShare(share.id, '/Docs (2)', 'file'),
      ]);
      expect(both).toEqual([true, false]);
      expect(await store.getExternalShare('bob', share.id)).toMatchObject({
        accepted: true,
        mountpoint: '/Docs',
        itemType: 'folder',
      });
    } finally {
      await store.close();
    }
  });
});

describe('the unique mount point migration', () => {
  it('keeps both shares of a pair that a race before it mounted at one name, the younger under a new name', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atc-mountpoints-'));
    const file = path.join(dir, 'server.db');
    await new SqliteStore(file).close();
    // The data directory as the step before left it: no index, and two mounted shares of bob at /Docs.
    const db = new Database(file);
    db.exec('DROP INDEX remote_shares_mountpoint');
    const insert =
      db.prepare(`INSERT INTO remote_shares (uid, kind, remote, remote_id, share_token, password, name, owner,
      mountpoint, accepted, item_type, dav_url, created_at) VALUES (?, 'user', 'https://a', ?, ?, '', 'Docs', 'alice', ?, ?, 'folder', 'https://a/dav/', 0)`);
    const older = Number(insert.run('bob', '1', 's1', '/Docs', 1).lastInsertRowid);
    const younger = Number(insert.run('bob', '2', 's2', '/Docs', 1).lastInsertRowid);
    insert.run('bob', '3', 's3', '/Docs', 0);
    insert.run('carol', '4', 's4', '/Docs', 1);
    // Steps after this one run again too: their tables go first.
    db.exec('DROP TABLE ocm_outbox');
    const step = MIGRATIONS.findIndex((sql) => typeof sql === 'string' && sql.includes('remote_shares_mountpoint'));
    db.pragma(`user_version = ${step}`);
    db.close();

    const store = new SqliteStore(file);
    try {
      expect((await store.listExternalShares('bob', true)).map((s) => [s.id, s.mountpoint])).toEqual([
        [older, '/Docs'],
        [younger, `/Docs (${younger})`],
      ]);
      expect((await store.listExternalShares('bob', false)).map((s) => s.mountpoint)).toEqual(['/Docs']);
      expect((await store.listExternalShares('carol', true)).map((s) => s.mountpoint)).toEqual(['/Docs']);
    } finally {
      await store.close();
    }
  });
});
