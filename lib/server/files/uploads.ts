import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

// Temp files of uploads (tree.ts) are written to DATA/uploads/UID and renamed into the user's tree when complete.
// Whatever is in DATA/uploads when a node starts was left by a process that died mid-upload (one process per data
// directory), so it is removed. Older versions wrote temp files next to the target as `.upload-PID-MS-RANDOM`, and the
// cross-filesystem fallback of tree.ts still does: those are found by a walk of the trees that runs in the background.

/** Temp names written by tree.ts (and older versions): `.upload-PID-MS-RANDOM`. */
const TEMP_NAME = /^\.upload-(\d+)-\d+-[0-9a-z]+$/;

/** The upload area of every user. */
export const uploadsDir = (dataDir: string) => path.join(dataDir, 'uploads');

export async function removeStaleUploads(dataDir: string, log: Logger): Promise<void> {
  await rm(uploadsDir(dataDir), { recursive: true, force: true });
  void sweepTrees(path.join(dataDir, 'files')).then(
    (removed) => {
      if (removed > 0) log.info({ event: 'stale-uploads-removed', count: removed }, 'removed temp files of interrupted uploads');
    },
    (error: unknown) => log.warn({ err: error }, 'could not sweep temp files of interrupted uploads'),
  );
}

/** Removes in-tree temp files of other (dead) processes; symlinks are not followed. Returns how many were removed. */
async function sweepTrees(filesDir: string): Promise<number> {
  let removed = 0;
  const pending = [filesDir];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    const dirents = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const dirent of dirents) {
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
