import type { Stats } from 'node:fs';
import {
  copyFile,
  chmod,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  readlink,
  rename,
  stat,
  symlink,
  utimes,
} from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { COMPANION_VERSION } from './config';
import { fileItemKey } from './shares/items';
import { BACKUP_BUSY_TIMEOUT_MS } from './timeouts';

// `add-to-cloud-server backup DIR` / `restore DIR` (docs/server.md, "Backup and restore").
//
// A backup of a running node is the database, copied with SQLite's online backup API (a consistent snapshot while
// the node keeps writing), then the user files, then the signing key, then `manifest.json` — written last, so a
// backup without it is incomplete and `restore` refuses it.
//
// Shares are bound to their item by inode number and creation time (shares/items.ts), and a restored file is a new
// inode. So while copying, the backup notes where each shared item (by its key in the snapshot) is found, reading the
// key from the very file descriptor it copies the content from; `restore` binds those shares to the restored files.
// A share whose item was already gone or replaced when the backup ran keeps its old key and stays dead, as it was.

const MANIFEST = 'manifest.json';
const FORMAT = 1;
/** Files of the data directory a backup carries besides the database and the user files. */
const KEY_FILE = 'ocm-signing-key.pem';

interface SharedItem {
  /** The item's key in the backed-up database. */
  key: string;
  owner: string;
  /** On-disk names below files/OWNER (as stored, maybe not NFC). */
  disk: string[];
}

interface Manifest {
  format: number;
  createdAt: string;
  companionVersion: string;
  sharedItems: SharedItem[];
}

interface BackupReport {
  files: number;
  sharedItems: number;
  sharesWithoutItem: number;
}
interface RestoreReport {
  files: number;
  sharesRebound: number;
  sharesWithoutItem: number;
  integrity: string;
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Copies a tree, keeping names, modes and modification times (ETags stay the same), symlinks as symlinks.
 * `seen` gets every copied file and folder with the stats of exactly what was copied.
 */
async function copyTree(
  from: string,
  to: string,
  seen: (rel: string[], stats: Stats) => void = () => {},
): Promise<number> {
  let files = 0;
  const folders: { target: string; stats: Stats }[] = [];
  const pending: string[][] = [[]];
  for (let rel = pending.pop(); rel !== undefined; rel = pending.pop()) {
    const source = path.join(from, ...rel);
    const target = path.join(to, ...rel);
    const stats = await lstat(source);
    await mkdir(target, { recursive: true, mode: stats.mode & 0o777 });
    folders.push({ target, stats });
    if (rel.length > 0) seen(rel, stats);
    for (const entry of await readdir(source, { withFileTypes: true })) {
      const child = [...rel, entry.name];
      if (entry.isDirectory()) pending.push(child);
      else if (entry.isSymbolicLink())
        await symlink(await readlink(path.join(source, entry.name)), path.join(target, entry.name));
      else if (entry.isFile()) {
        const copied = await copyFile1(path.join(source, entry.name), path.join(target, entry.name));
        if (copied) {
          seen(child, copied);
          files++;
        }
      }
    }
  }
  // Folder times last (creating their entries changed them), and each folder fsynced so its entries are durable
  // before the manifest declares the copy complete.
  for (const { target, stats } of folders.reverse()) {
    await utimes(target, stats.atime, stats.mtime);
    await syncDir(target);
  }
  return files;
}

/** Copies one file from a single open descriptor (uploads replace files by rename, so content and stats match). */
async function copyFile1(source: string, target: string): Promise<Stats | undefined> {
  let input;
  try {
    input = await open(source, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // deleted while we walked
    throw error;
  }
  try {
    const stats = await input.stat();
    const output = await open(target, 'wx', stats.mode & 0o777);
    try {
      const buffer = Buffer.allocUnsafe(1024 * 1024);
      for (;;) {
        const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        await output.write(buffer, 0, bytesRead);
      }
      await output.sync();
    } finally {
      await output.close();
    }
    await utimes(target, stats.atime, stats.mtime);
    return stats;
  } finally {
    await input.close();
  }
}

async function writeDurably(file: string, text: string): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncDir(path.dirname(file));
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  await handle.sync().finally(() => handle.close());
}

/** Backs up the node's data directory `dataDir` (running or not) into `targetDir`, which must be empty or new. */
export async function backupNode(dataDir: string, targetDir: string): Promise<BackupReport> {
  const database = path.join(dataDir, 'server.db');
  if (!(await exists(database))) throw new Error(`${dataDir} holds no node (no server.db)`);
  if (!(await isEmptyOrMissing(targetDir))) throw new Error(`${targetDir} is not empty: back up into a new directory`);
  await mkdir(targetDir, { recursive: true, mode: 0o700 });

  const source = new Database(database, { fileMustExist: true });
  try {
    source.pragma(`busy_timeout = ${BACKUP_BUSY_TIMEOUT_MS}`);
    // After a first small step, copy everything in one step: one read transaction, so writers of the running node
    // (another connection) cannot make the backup restart over and over.
    await source.backup(path.join(targetDir, 'server.db'), { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }

  const snapshot = new Database(path.join(targetDir, 'server.db'), { readonly: true });
  const bound = snapshot
    .prepare("SELECT DISTINCT owner, item_key AS key FROM shares WHERE item_key LIKE 'file:%'")
    .all() as { owner: string; key: string }[];
  snapshot.close();
  const wanted = new Set(bound.map(({ owner, key }) => `${owner}\n${key}`));

  const sharedItems: SharedItem[] = [];
  const filesDir = path.join(dataDir, 'files');
  const files = (await exists(filesDir))
    ? await copyTree(filesDir, path.join(targetDir, 'files'), (rel, stats) => {
        const [owner, ...disk] = rel;
        const key = fileItemKey(stats);
        if (owner !== undefined && disk.length > 0 && wanted.has(`${owner}\n${key}`))
          sharedItems.push({ key, owner, disk });
      })
    : 0;
  if (await exists(path.join(dataDir, KEY_FILE)))
    await copyFile(path.join(dataDir, KEY_FILE), path.join(targetDir, KEY_FILE));

  const manifest: Manifest = {
    format: FORMAT,
    createdAt: new Date().toISOString(),
    companionVersion: COMPANION_VERSION,
    sharedItems,
  };
  await writeDurably(path.join(targetDir, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  return { files, sharedItems: sharedItems.length, sharesWithoutItem: wanted.size - sharedItems.length };
}

/** Restores a backup into `dataDir`, which must not hold a node yet; binds the shares to the restored files. */
export async function restoreNode(backupDir: string, dataDir: string): Promise<RestoreReport> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(backupDir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    throw new Error(`${backupDir} is not a complete backup (no ${MANIFEST})`);
  }
  if (manifest.format !== FORMAT)
    throw new Error(`backup format ${manifest.format} is not supported (expected ${FORMAT})`);
  if (await exists(path.join(dataDir, 'server.db')))
    throw new Error(`${dataDir} already holds a node: restore into a new directory`);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const files = (await exists(path.join(backupDir, 'files')))
    ? await copyTree(path.join(backupDir, 'files'), path.join(dataDir, 'files'))
    : 0;
  if (await exists(path.join(backupDir, KEY_FILE))) {
    await copyFile(path.join(backupDir, KEY_FILE), path.join(dataDir, KEY_FILE));
    await chmod(path.join(dataDir, KEY_FILE), 0o600);
  }

  const restoredKeys = new Map<string, string>();
  for (const item of manifest.sharedItems) {
    restoredKeys.set(
      `${item.owner}\n${item.key}`,
      fileItemKey(await stat(path.join(dataDir, 'files', item.owner, ...item.disk))),
    );
  }
  // The database goes in last, under a temporary name: a restore that failed half-way leaves no server.db behind.
  const temp = path.join(dataDir, 'server.db.restoring');
  await copyFile(path.join(backupDir, 'server.db'), temp);
  const db = new Database(temp);
  let sharesRebound = 0;
  try {
    const rebind = db.prepare('UPDATE shares SET item_key = ?, path = ? WHERE owner = ? AND item_key = ?');
    db.transaction(() => {
      for (const item of manifest.sharedItems) {
        const plainPath = `/${item.disk.map((name) => name.normalize('NFC')).join('/')}`;
        sharesRebound += rebind.run(
          restoredKeys.get(`${item.owner}\n${item.key}`),
          plainPath,
          item.owner,
          item.key,
        ).changes;
      }
    })();
    const unbound = db.prepare("SELECT COUNT(*) AS n FROM shares WHERE item_key LIKE 'file:%'").get() as { n: number };
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    db.close();
    await rename(temp, path.join(dataDir, 'server.db'));
    return { files, sharesRebound, sharesWithoutItem: unbound.n - sharesRebound, integrity };
  } catch (error) {
    if (db.open) db.close();
    throw error;
  }
}
