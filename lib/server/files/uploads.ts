import { existsSync } from 'node:fs';
import { opendir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { MIN_STALE_UPLOAD_MS } from '../timeouts';

// Temp files of uploads (tree.ts) are written to DATA/uploads/NODE/UID and renamed into the user's tree when complete.
//
// Several nodes may share one data directory (a cluster: PostgreSQL plus a shared file system, docs/server.md), so
// each node stages its uploads in an area of its own, named after the node (host and port, see nodeName). Whatever is
// in a node's own area when it starts was left by its predecessor, which died mid-upload: it is removed at once. The
// areas of other nodes are left alone, except for temp files nobody has written to for a long time: an upload in
// progress writes to its temp file at least once per idle timeout (the connection is closed otherwise), so such a
// file belongs to a node that died and never came back. Those are swept at start-up and then periodically.
//
// Versions before this one wrote temp files next to the target as `.upload-PID-MS-RANDOM`; a crash left them in the
// tree. They are hidden and refused by name (paths.ts), and removed by a walk of all trees that runs once, in the
// background, on the first start of this version (a marker file remembers it). Today's temp names have a `p` before
// the PID (tree.ts tempName), so that walk never matches a temp file another node of a cluster is still writing. Later,
// in-tree temp files can only come from a crash during tree.ts's cross-filesystem fallback: hidden and refused the same
// way.

/** Temp names written by versions before the node name was part of them: `.upload-PID-MS-RANDOM`. */
const LEGACY_TEMP_NAME = /^\.upload-(\d+)-\d+-[0-9a-z]+$/;
const SWEPT_MARKER = '.legacy-upload-temps-removed';

/**
 * The name of a node among those sharing a data directory: host name and port, stable across restarts, so a restarted
 * node finds (and removes) what its predecessor left. A node on port 0 (a random port) uses its process id.
 */
export function defaultNodeName(port: number): string {
  const host = hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'host';
  return port > 0 ? `${host}-${port}` : `${host}-pid${process.pid}`;
}

/** The upload areas of all nodes. */
const uploadsRoot = (dataDir: string) => path.join(dataDir, 'uploads');
/** The upload area of one node (one folder per user below it). */
export const uploadsDir = (dataDir: string, node: string) => path.join(uploadsRoot(dataDir), node);

/** How long a temp file must be untouched before another node may remove it. */
export const staleAfterMs = (idleTimeoutMs: number) => Math.max(MIN_STALE_UPLOAD_MS, 4 * idleTimeoutMs);

export interface UploadAreaOptions {
  dataDir: string;
  node: string;
  /** See staleAfterMs. */
  staleMs: number;
}

/** Start-up: removes this node's leftovers, other nodes' stale temp files, and (once) legacy in-tree temp files. */
export async function removeStaleUploads(options: UploadAreaOptions, log: Logger): Promise<void> {
  await rm(uploadsDir(options.dataDir, options.node), { recursive: true, force: true });
  await sweepOtherNodes(options, log);
  const marker = path.join(options.dataDir, SWEPT_MARKER);
  if (existsSync(marker)) return;
  void sweepTrees(path.join(options.dataDir, 'files')).then(
    async (removed) => {
      await writeFile(marker, `${new Date().toISOString()} removed ${removed}\n`);
      if (removed > 0)
        log.info({ event: 'stale-uploads-removed', count: removed }, 'removed temp files of interrupted uploads');
    },
    (error: unknown) => log.warn({ err: error }, 'could not sweep temp files of interrupted uploads'),
  );
}

/** Sweeps other nodes' stale temp files every half stale period until the returned function is called. */
export function sweepStaleUploadsPeriodically(options: UploadAreaOptions, log: Logger): () => void {
  const timer = setInterval(() => void sweepOtherNodes(options, log), options.staleMs / 2);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Removes temp files in other nodes' areas that nobody wrote to for `staleMs`. Folders are kept: a node creates its
 * user folders on demand and would race with a removal; they are small and reused when that node comes back.
 */
async function sweepOtherNodes(options: UploadAreaOptions, log: Logger): Promise<number> {
  const root = uploadsRoot(options.dataDir);
  const own = uploadsDir(options.dataDir, options.node);
  let removed = 0;
  try {
    const pending = [root];
    for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
      for await (const dirent of await opendir(dir).catch(() => [])) {
        const full = path.join(dir, dirent.name);
        if (full === own) continue;
        if (dirent.isDirectory()) pending.push(full);
        else if (dirent.isFile()) {
          const stats = await stat(full).catch(() => undefined);
          if (stats && Date.now() - stats.mtimeMs > options.staleMs) {
            await rm(full, { force: true });
            removed++;
          }
        }
      }
    }
  } catch (error) {
    log.warn({ err: error }, 'could not sweep stale upload temp files');
  }
  if (removed > 0)
    log.info(
      { event: 'stale-uploads-removed', count: removed },
      'removed temp files of interrupted uploads on other nodes',
    );
  return removed;
}

/** Removes legacy in-tree temp files of other (dead) processes; symlinks are not followed. Returns how many. */
async function sweepTrees(filesDir: string): Promise<number> {
  if (!existsSync(filesDir)) return 0;
  let removed = 0;
  const pending = [filesDir];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    // opendir reads a folder in small steps, so a folder of 100,000 files never sits in memory at once.
    for await (const dirent of await opendir(dir).catch(() => [])) {
      const full = path.join(dir, dirent.name);
      if (dirent.isDirectory()) pending.push(full);
      else if (dirent.isFile() && Number(LEGACY_TEMP_NAME.exec(dirent.name)?.[1] ?? process.pid) !== process.pid) {
        await rm(full, { force: true });
        removed++;
      }
    }
  }
  return removed;
}
