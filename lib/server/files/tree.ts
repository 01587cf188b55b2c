import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Transform } from 'node:stream';
import { createWriteStream } from 'node:fs';
import { HttpError } from '../http/errors';
import { assertInside, join } from './paths';
import { FOLDER_MIME, mimeOf } from './mime';

/** What PROPFIND, OCS and the share pages need to know about one file or folder. */
export interface Entry {
  name: string;
  isDir: boolean;
  size: number;
  mtime: Date;
  etag: string;
  fileId: number;
  mime: string;
}

export function entryFromStats(name: string, stats: Stats): Entry {
  const isDir = stats.isDirectory();
  const etag = createHash('md5').update(`${stats.ino}:${stats.mtimeMs}:${stats.size}`).digest('hex');
  return { name, isDir, size: isDir ? 0 : stats.size, mtime: stats.mtime, etag, fileId: stats.ino, mime: isDir ? FOLDER_MIME : mimeOf(name) };
}

/**
 * Told about every change that moves, replaces or removes items, whichever route made it, so what refers to items by
 * path (shares, see shares/follow.ts) follows them.
 */
export interface TreeObserver {
  /** Before `segments` and everything below it are removed (also a destination that a MOVE overwrites). */
  removing(segments: readonly string[]): Promise<void>;
  /** After `from` was renamed to `to`. */
  moved(from: readonly string[], to: readonly string[]): void;
  /** After the file at `segments` was replaced by an upload (it is a new file on disk now). */
  replaced(segments: readonly string[]): Promise<void>;
}

/** Optional upload check (the owner's quota): a pass-through for an upload replacing `replacedBytes`, or undefined. */
export type UploadGuard = (replacedBytes: number, declaredLength?: number) => Promise<Transform | undefined>;

/** One user's files under DATA/files/UID. All methods take validated segments (see paths.ts). */
export class UserTree {
  constructor(
    readonly root: string,
    private readonly observer?: TreeObserver,
    private readonly uploadGuard?: UploadGuard,
  ) {}

  async ensure(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  async locate(segments: readonly string[]): Promise<string> {
    const target = join(this.root, segments);
    await assertInside(this.root, target);
    return target;
  }

  async stat(segments: readonly string[]): Promise<Entry | undefined> {
    const target = await this.locate(segments);
    try {
      const stats = await stat(target);
      return entryFromStats(segments.at(-1) ?? '', stats);
    } catch {
      return undefined;
    }
  }

  async mustStat(segments: readonly string[]): Promise<Entry> {
    const entry = await this.stat(segments);
    if (!entry) throw new HttpError(404, 'File not found');
    return entry;
  }

  async list(segments: readonly string[]): Promise<Entry[]> {
    const target = await this.locate(segments);
    const dirents = (await readdir(target, { withFileTypes: true }))
      .filter((d) => !d.name.startsWith('.upload-')) // our own in-progress uploads
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Synchronous stats in chunks of 500, yielding to the event loop between chunks: ~3x faster than fs.promises.stat
    // (no thread-pool round trip and promise per entry) while no chunk blocks the loop for more than a few ms.
    const entries: (Entry | undefined)[] = [];
    for (let i = 0; i < dirents.length; i += 500) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      for (const dirent of dirents.slice(i, i + 500)) {
        const child = path.join(target, dirent.name);
        try {
          // A symlink is listed only if it stays inside the tree; one leading out is invisible.
          if (dirent.isSymbolicLink()) await assertInside(this.root, child);
          const stats = statSync(child, { throwIfNoEntry: false });
          entries.push(stats && entryFromStats(dirent.name, stats));
        } catch {
          entries.push(undefined); // dangling or escaping symlink
        }
      }
    }
    return entries.filter((e): e is Entry => e !== undefined);
  }

  /** Folder size = sum of its files, recursively (oc:size / quota-used-bytes). `listed` saves re-reading the top level. */
  async sizeOf(segments: readonly string[], listed?: Entry[]): Promise<number> {
    let total = 0;
    for (const entry of listed ?? await this.list(segments)) {
      total += entry.isDir ? await this.sizeOf([...segments, entry.name]) : entry.size;
    }
    return total;
  }

  /**
   * Streams `source` into a temp file next to the target, fsyncs it, then renames it into place, so a crash leaves
   * either the old file or the complete new one, never a torn one. Returns true when the file is new.
   */
  async write(segments: readonly string[], source: Readable): Promise<boolean> {
    if (segments.length === 0) throw new HttpError(405, 'Cannot overwrite the root folder');
    const target = await this.locate(segments);
    const parent = await this.stat(segments.slice(0, -1));
    if (!parent?.isDir) throw new HttpError(409, 'Parent folder does not exist');
    const existing = await this.stat(segments);
    if (existing?.isDir) throw new HttpError(405, 'A folder with this name exists');
    // An HTTP request body declares its length: an upload that cannot fit is refused before a byte is stored.
    const declared = Number((source as Readable & { headers?: Record<string, unknown> }).headers?.['content-length'] ?? NaN);
    const guard = await this.uploadGuard?.(existing?.size ?? 0, Number.isSafeInteger(declared) ? declared : undefined);
    const temp = path.join(path.dirname(target), `.upload-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    try {
      if (guard) await pipeline(source, guard, createWriteStream(temp, { flags: 'wx' }));
      else await pipeline(source, createWriteStream(temp, { flags: 'wx' }));
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
      await syncDir(path.dirname(target));
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    if (existing) await this.observer?.replaced(segments);
    return existing === undefined;
  }

  async mkdir(segments: readonly string[]): Promise<void> {
    if (segments.length === 0) throw new HttpError(405, 'The root folder exists');
    const target = await this.locate(segments);
    const parent = await this.stat(segments.slice(0, -1));
    if (!parent?.isDir) throw new HttpError(409, 'Parent folder does not exist');
    if (await this.stat(segments)) throw new HttpError(405, 'The resource you tried to create already exists');
    await mkdir(target);
    await syncDir(path.dirname(target));
  }

  async remove(segments: readonly string[]): Promise<void> {
    if (segments.length === 0) throw new HttpError(403, 'Cannot delete the root folder');
    const target = await this.locate(segments);
    await this.mustStat(segments);
    await this.observer?.removing(segments);
    await rm(target, { recursive: true, force: true });
    await syncDir(path.dirname(target));
  }

  /** Returns true when the destination is new. */
  async move(from: readonly string[], to: readonly string[], overwrite: boolean): Promise<boolean> {
    if (from.length === 0 || to.length === 0) throw new HttpError(403, 'Cannot move the root folder');
    const source = await this.locate(from);
    const target = await this.locate(to);
    await this.mustStat(from);
    if (to.length > from.length && from.every((name, i) => to[i] === name)) throw new HttpError(409, 'Cannot move a folder into itself');
    const parent = await this.stat(to.slice(0, -1));
    if (!parent?.isDir) throw new HttpError(409, 'Destination parent folder does not exist');
    const existing = await this.stat(to);
    if (existing) {
      if (!overwrite) throw new HttpError(412, 'Destination exists and Overwrite is F');
      await this.observer?.removing(to);
      await rm(target, { recursive: true, force: true });
    }
    await rename(source, target);
    this.observer?.moved(from, to);
    await syncDir(path.dirname(target));
    if (path.dirname(source) !== path.dirname(target)) await syncDir(path.dirname(source));
    return existing === undefined;
  }
}

/** fsync a directory so a rename / create / delete in it survives a crash. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
