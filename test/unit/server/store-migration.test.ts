import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../../lib/server/store/sqlite';
import { MIGRATIONS, migrationSql } from '../../../lib/server/store/migrations';

// A database written by the version before shares were bound to items (only the first migration) opens with its
// shares intact: unbound (bound to the item at their path on first use, shares/items.ts) and without a parent link.

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore migrations', () => {
  it('converts shares of a first-version database', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atc-migration-'));
    const file = path.join(dir, 'server.db');
    const old = new Database(file);
    old.exec(migrationSql(MIGRATIONS[0] ?? '', 'sqlite'));
    old.pragma('user_version = 1');
    old
      .prepare(
        `INSERT INTO shares (share_type, owner, path, item_type, permissions, token, stime)
      VALUES (3, 'alice', '/Trip', 'folder', 1, 'tok123', 1)`,
      )
      .run();
    old.close();

    const store = new SqliteStore(file);
    try {
      expect(await store.getShareByToken('tok123')).toMatchObject({ path: '/Trip', itemKey: null, parentId: null });
      expect(await store.listSharesUnder('alice', '/Trip')).toHaveLength(1);
      await store.moveShares('alice', '/Trip', '/Trips/2025');
      expect((await store.getShareByToken('tok123'))?.path).toBe('/Trips/2025');
      expect(await store.integrityCheck()).toBe('ok');
    } finally {
      await store.close();
    }
  });

  it('moves and lists shares below a folder by exact prefix (no LIKE wildcards, any characters)', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atc-migration-'));
    const store = new SqliteStore(path.join(dir, 'server.db'));
    try {
      const add = (p: string) =>
        store.addShare({
          shareType: 3,
          owner: 'alice',
          path: p,
          itemType: 'folder',
          permissions: 1,
          token: `t${p.length}${Math.random().toString(36).slice(2, 8)}`,
          passwordHash: null,
          expiration: null,
          name: null,
          shareWith: null,
        });
      for (const p of ['/a', '/a/b', '/ab', '/a%', '/_', '/😀', '/😀/x']) await add(p);
      expect((await store.listSharesUnder('alice', '/a')).map((s) => s.path)).toEqual(['/a', '/a/b']);
      await store.moveShares('alice', '/😀', '/z');
      await store.moveShares('alice', '/_', '/u');
      expect((await store.listShares('alice')).map((s) => s.path)).toEqual([
        '/a',
        '/a/b',
        '/ab',
        '/a%',
        '/u',
        '/z',
        '/z/x',
      ]);
    } finally {
      await store.close();
    }
  });
});
