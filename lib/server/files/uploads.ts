import { existsSync } from 'node:fs';
import { opendir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

// Temp files of uploads (tree.ts) are written to DATA/uploads/UID and renamed into the user's tree when complete.
// Whatever is in DATA/uploads when a node starts was left by a process that died mid-upload (one process per data
// directory), so it is removed.
//
// Versions before this one wrote temp files next to the target as `.upload-PID-MS-RANDOM`; a crash left them in the
// tree. They are hidden and refused by name (paths.ts), and removed by a walk of all trees that runs once, in the
// background, on the first start of this version (a marker file remembers it). Later, in-tree temp files can only come
// from a crash during tree.ts's cross-filesystem fallback: hidden and refused the same way.

/** Temp names written by tree.ts (and older versions): `.upload-PID-MS-RANDOM`. */
const TEMP_NAME = /^\.upload-(\d+)-\d+-[0-9a-z]+$/;
const SWEPT_MARKER = '.legacy-upload-temps-removed';

/** The upload area of every user. */
export const uploadsDir = (dataDir: string) => path.join(dataDir, 'uploads');

export async function removeStaleUploads(dataDir: string, log: Logger): Promise<void> {
  await rm(uploadsDir(dataDir), { recursive: true, force: true });
  const marker = path.join(dataDir, SWEPT_MARKER);
  if (existsSync(marker)) return;
  void sweepTrees(path.join(dataDir, 'files')).then(
    async (removed) => {
      await writeFile(marker, `${new Date().toISOString()} removed ${removed}\n`);
      if (removed > 0) log.info({ event: 'stale-uploads-removed', count: removed }, 'removed temp files of interrupted uploads');
    },
    (error: unknown) => log.warn({ err: error }, 'could not sweep temp files of interrupted uploads'),
  );
}

/** Removes in-tree temp files of other (dead) processes; symlinks are not followed. Returns how many were removed. */
async function sweepTrees(filesDir: string): Promise<number> {
  if (!existsSync(filesDir)) return 0;
  let removed = 0;
  const pending = [filesDir];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    // opendir reads a folder in small steps, so a folder of 100,000 files never sits in memory at once.
    for await (const dirent of await opendir(dir).catch(() => [])) {
      const full = path.join(dir, dirent.name);
      if (dirent.isDirectory()) pending.push(full);
      else if (dirent.isFile() && Number(TEMP_NAME.exec(dirent.name)?.[1] ?? process.pid) !== process.pid) {
        await rm(full, { force: true });
        removed++;
      }
    }
  }
  return removed;
}
