import { hash, randomBytes } from 'node:crypto';
import { constants as fsConstants, createWriteStream, opendirSync, statSync, type Dir, type Stats } from 'node:fs';
import { copyFile, lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Transform } from 'node:stream';
import { HttpError } from '../http/errors';
import { assertInside, checkNewName, join, UPLOAD_TEMP_PREFIX } from './paths';
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

function etagOf(ino: number, mtimeMs: number, statSize: number): string {
  return hash('md5', `${ino}:${mtimeMs}:${statSize}`); // one-shot hash: 4x cheaper than createHash, same value
}

/** A sub-folder removed while its parent's size is being summed counts as empty. */
function vanishedIsEmpty(error: unknown): number {
  if (error instanceof HttpError && error.status === 404) return 0;
  throw error;
}

/**
 * Told about every change that moves, replaces or removes items, whichever route made it, so what refers to items by
 * path (shares, see shares/follow.ts) follows them.
 */
export interface TreeObserver {
  /** Before `segments` and everything below it are removed (also a destination that a MOVE overwrites). */
  removing(segments: readonly string[]): Promise<void>;
  /** After `from` was renamed to `to`. */
  moved(from: readonly string[], to: readonly string[]): Promise<void>;
  /** After the file at `segments` was replaced by an upload (it is a new file on disk now). */
  replaced(segments: readonly string[]): Promise<void>;
}

/** Optional upload check (the owner's quota): a pass-through for an upload replacing `replacedBytes`, or undefined. */
export type UploadGuard = (replacedBytes: number, declaredLength?: number) => Promise<Transform | undefined>;

/** What a tree tells others about, and asks before an upload (App.tree wires shares and the quota in). */
export interface TreeHooks {
  observer?: TreeObserver;
  uploadGuard?: UploadGuard;
}

function entryFromStats(name: string, stats: Stats): Entry {
  const isDir = stats.isDirectory();
  return {
    name,
    isDir,
    size: isDir ? 0 : stats.size,
    mtime: stats.mtime,
    etag: etagOf(stats.ino, stats.mtimeMs, stats.size),
    fileId: stats.ino,
    mime: isDir ? FOLDER_MIME : mimeOf(name),
  };
}

/** Entries read or stat'ed between two yields to the event loop while listing a folder. */
const LISTING_BATCH = 500;

const isAscii = (name: string) => /^[\x00-\x7f]*$/.test(name); // eslint-disable-line no-control-regex
const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

function openFolder(dir: string): Dir {
  try {
    return opendirSync(dir, { bufferSize: LISTING_BATCH });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new HttpError(404, 'File not found');
    throw error;
  }
}

/**
 * A folder's children in name order, kept compact: the names plus the few stat numbers an Entry is made of, in typed
 * arrays, with no object per entry. A listing of 100,000 entries is a few MB, and Entries (with their etag hash) are
 * made one batch at a time as an answer is written (entry()).
 */
export class Listing {
  private readonly dirFlags: Uint8Array;
  private readonly linkFlags: Uint8Array;
  /** File size; for folders 0 until setFolderSize. */
  private readonly sizes: Float64Array;
  /** st_size, st_mtimeMs and st_ino: what the etag and file id are made of. */
  private readonly statSizes: Float64Array;
  private readonly mtimes: Float64Array;
  private readonly inodes: Float64Array;
  private count = 0;

  private constructor(
    /** NFC names, sorted by UTF-16 code units (like ownCloud's listings). */
    private readonly names: string[],
    /** The on-disk spelling of the (rare) names stored in another Unicode form. */
    private readonly diskNames: Map<string, string>,
  ) {
    const n = names.length;
    [this.dirFlags, this.linkFlags] = [new Uint8Array(n), new Uint8Array(n)];
    [this.sizes, this.statSizes, this.mtimes, this.inodes] = [
      new Float64Array(n),
      new Float64Array(n),
      new Float64Array(n),
      new Float64Array(n),
    ];
  }

  /**
   * Reads `dir` incrementally and stats its entries in batches, yielding to the event loop between batches. Upload
   * temp files are never listed; symlinks only if they stay inside `boundary`; dangling ones are left out.
   */
  static async read(dir: string, boundary: string): Promise<Listing> {
    const handle = openFolder(dir);
    const names: string[] = [];
    const diskNames = new Map<string, string>();
    const links = new Set<string>();
    try {
      for (let read = 1; ; read++) {
        const dirent = handle.readSync();
        if (dirent === null) break;
        if (read % LISTING_BATCH === 0) await yieldToEventLoop();
        if (dirent.name.startsWith(UPLOAD_TEMP_PREFIX)) continue;
        const name = isAscii(dirent.name) ? dirent.name : dirent.name.normalize('NFC');
        if (name !== dirent.name) {
          if (diskNames.has(name)) continue; // a third spelling of one name: one is enough
          diskNames.set(name, dirent.name);
        }
        if (dirent.isSymbolicLink()) links.add(name);
        names.push(name);
      }
    } finally {
      handle.closeSync();
    }
    names.sort(); // default sort: UTF-16 code units, without a JS callback per comparison
    // One name stored in two Unicode forms: list it once, as the file stored in NFC (the one lookups find first).
    if (diskNames.size > 0) {
      let unique = 0;
      for (const name of names) {
        if (unique > 0 && names[unique - 1] === name) diskNames.delete(name);
        else names[unique++] = name;
      }
      names.length = unique;
    }
    const listing = new Listing(names, diskNames);
    let kept = 0;
    for (let i = 0; i < names.length; i++) {
      if (i > 0 && i % LISTING_BATCH === 0) await yieldToEventLoop();
      const name = names[i] as string;
      const file = `${dir}${path.sep}${diskNames.get(name) ?? name}`; // path.join would cost a fifth of the stat
      const isLink = links.has(name);
      if (
        isLink &&
        !(await assertInside(boundary, file).then(
          () => true,
          () => false,
        ))
      )
        continue; // leads out: invisible
      // Synchronous stat: ~3x faster than fs.promises.stat (no thread-pool round trip and promise per entry), and the
      // batches keep the event loop free between every LISTING_BATCH entries.
      const stats = statSync(file, { throwIfNoEntry: false });
      if (!stats) continue; // dangling symlink, or deleted meanwhile
      names[kept] = name;
      listing.dirFlags[kept] = stats.isDirectory() ? 1 : 0;
      listing.linkFlags[kept] = isLink ? 1 : 0;
      listing.sizes[kept] = stats.isDirectory() ? 0 : stats.size;
      listing.statSizes[kept] = stats.size;
      listing.mtimes[kept] = stats.mtimeMs;
      listing.inodes[kept] = stats.ino;
      kept++;
    }
    names.length = kept;
    listing.count = kept;
    return listing;
  }

  get length(): number {
    return this.count;
  }

  name(i: number): string {
    return this.names[i] as string;
  }

  isDir(i: number): boolean {
    return this.dirFlags[i] === 1;
  }

  isLink(i: number): boolean {
    return this.linkFlags[i] === 1;
  }

  /** A file's size, or the folder size set for a folder. */
  size(i: number): number {
    return this.sizes[i] as number;
  }

  setFolderSize(i: number, size: number): void {
    this.sizes[i] = size;
  }

  entry(i: number): Entry {
    const name = this.name(i);
    const isDir = this.isDir(i);
    const mtimeMs = this.mtimes[i] as number;
    const ino = this.inodes[i] as number;
    return {
      name,
      isDir,
      size: this.size(i),
      mtime: new Date(Math.round(mtimeMs)),
      etag: etagOf(ino, mtimeMs, this.statSizes[i] as number),
      fileId: ino,
      mime: isDir ? FOLDER_MIME : mimeOf(name),
    };
  }

  entries(): Entry[] {
    return Array.from({ length: this.count }, (_, i) => this.entry(i));
  }
}

/**
 * One user's files under DATA/files/UID. All methods take validated segments in NFC (see paths.ts).
 *
 * A tree can be fenced to a part of itself (`within`): a public link sees its shared folder through such a tree, so a
 * symlink in the shared folder that points elsewhere in the owner's files is as unreachable as one leading out.
 */
export class UserTree {
  private fencePath?: Promise<string>;

  constructor(
    readonly root: string,
    /** Where uploads are written before they are renamed into place: outside the tree, on the same filesystem. */
    private readonly uploads: string,
    private readonly hooks: TreeHooks = {},
    private readonly fence?: readonly string[],
  ) {}

  /** This tree confined to `segments` (a shared folder or file): nothing outside it can be read or listed. */
  within(segments: readonly string[]): UserTree {
    return new UserTree(this.root, this.uploads, this.hooks, segments);
  }

  async ensure(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  /** The real location every lookup must stay inside: the tree's root, or the shared folder of a fenced tree. */
  private boundary(): Promise<string> {
    if (!this.fence) return Promise.resolve(this.root);
    this.fencePath ??= this.onDisk(this.fence).then(async (fence) => {
      // A shared item that is gone has nothing inside it (and its parent is outside the fence): not found.
      if (!(await exists(fence))) throw new HttpError(404, 'File not found');
      await assertInside(this.root, fence);
      return fence;
    });
    return this.fencePath;
  }

  /**
   * The on-disk path of `segments`. Names are looked up in NFC first; a name stored in another normalization form
   * (written by an older version, or copied in from macOS) is found by comparing NFC forms, so both spellings keep
   * addressing that one file. Only misses on non-ASCII names pay for the extra directory read.
   */
  private async onDisk(segments: readonly string[]): Promise<string> {
    const direct = join(this.root, segments);
    if (segments.every(isAscii) || (await exists(direct))) return direct;
    let dir = this.root;
    for (const name of segments) {
      let actual = name;
      if (!isAscii(name) && !(await exists(path.join(dir, name)))) {
        const names = await readdir(dir).catch(() => [] as string[]);
        actual = names.find((candidate) => candidate !== name && candidate.normalize('NFC') === name) ?? name;
      }
      dir = path.join(dir, actual);
    }
    return join(this.root, path.relative(this.root, dir).split(path.sep));
  }

  async locate(segments: readonly string[]): Promise<string> {
    const target = await this.onDisk(segments);
    await assertInside(await this.boundary(), target);
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

  /** A folder's children in name order (see Listing). */
  async children(segments: readonly string[]): Promise<Listing> {
    const dir = await this.locate(segments);
    return Listing.read(dir, await this.boundary());
  }

  async list(segments: readonly string[]): Promise<Entry[]> {
    return (await this.children(segments)).entries();
  }

  /**
   * Folder size = sum of its files, recursively (oc:size / quota-used-bytes). Symlinked folders count 0, so a link to
   * an ancestor cannot send the walk around in circles.
   */
  async sizeOf(segments: readonly string[]): Promise<number> {
    const listing = await this.children(segments);
    let total = 0;
    for (let i = 0; i < listing.length; i++) {
      if (!listing.isDir(i)) total += listing.size(i);
      else if (!listing.isLink(i)) total += await this.sizeOf([...segments, listing.name(i)]).catch(vanishedIsEmpty);
    }
    return total;
  }

  /**
   * Streams `source` into a temp file in the node's upload area (DATA/uploads/NODE/UID, outside the tree, so it can
   * never be listed or downloaded), fsyncs it, then renames it into place, so a crash leaves either the old file or the
   * complete new one, never a torn one. Stale temp files are removed at start-up (uploads.ts). Returns true when the
   * file is new.
   */
  async write(segments: readonly string[], source: Readable): Promise<boolean> {
    if (segments.length === 0) throw new HttpError(405, 'Cannot overwrite the root folder');
    const target = await this.locate(segments);
    const parent = await this.stat(segments.slice(0, -1));
    if (!parent?.isDir) throw new HttpError(409, 'Parent folder does not exist');
    const existing = await this.stat(segments);
    if (existing?.isDir) throw new HttpError(405, 'A folder with this name exists');
    if (!existing) checkNewName(segments.at(-1) ?? '');
    // An HTTP request body declares its length: an upload that cannot fit is refused before a byte is stored.
    const declared = Number(
      (source as Readable & { headers?: Record<string, unknown> }).headers?.['content-length'] ?? NaN,
    );
    const guard = await this.hooks.uploadGuard?.(
      existing?.size ?? 0,
      Number.isSafeInteger(declared) ? declared : undefined,
    );
    await mkdir(this.uploads, { recursive: true });
    const temp = path.join(this.uploads, tempName());
    try {
      if (guard) await pipeline(source, guard, createWriteStream(temp, { flags: 'wx' }));
      else await pipeline(source, createWriteStream(temp, { flags: 'wx' }));
      await syncFile(temp);
      await renameInto(temp, target);
      await syncDir(path.dirname(target));
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    if (existing) await this.hooks.observer?.replaced(segments);
    return existing === undefined;
  }

  async mkdir(segments: readonly string[]): Promise<void> {
    if (segments.length === 0) throw new HttpError(405, 'The root folder exists');
    const target = await this.locate(segments);
    const parent = await this.stat(segments.slice(0, -1));
    if (!parent?.isDir) throw new HttpError(409, 'Parent folder does not exist');
    if (await this.stat(segments)) throw new HttpError(405, 'The resource you tried to create already exists');
    checkNewName(segments.at(-1) ?? '');
    await mkdir(target);
    await syncDir(path.dirname(target));
  }

  async remove(segments: readonly string[]): Promise<void> {
    if (segments.length === 0) throw new HttpError(403, 'Cannot delete the root folder');
    const target = await this.locate(segments);
    await this.mustStat(segments);
    await this.hooks.observer?.removing(segments);
    await rm(target, { recursive: true, force: true });
    await syncDir(path.dirname(target));
  }

  /** Returns true when the destination is new. */
  async move(from: readonly string[], to: readonly string[], overwrite: boolean): Promise<boolean> {
    if (from.length === 0 || to.length === 0) throw new HttpError(403, 'Cannot move the root folder');
    const source = await this.locate(from);
    const target = await this.locate(to);
    await this.mustStat(from);
    // Overwriting the destination deletes it first: a destination that is the source itself (also through the other
    // Unicode spelling of its name) or a folder containing it would delete the source with it (Sabre refuses both too).
    if (source === target) throw new HttpError(403, 'Source and destination are the same');
    if (source.startsWith(target + path.sep))
      throw new HttpError(409, 'Cannot move a file or folder onto a folder that contains it');
    if (to.length > from.length && from.every((name, i) => to[i] === name))
      throw new HttpError(409, 'Cannot move a folder into itself');
    checkNewName(to.at(-1) ?? '');
    const parent = await this.stat(to.slice(0, -1));
    if (!parent?.isDir) throw new HttpError(409, 'Destination parent folder does not exist');
    const existing = await this.stat(to);
    if (existing) {
      if (!overwrite) throw new HttpError(412, 'Destination exists and Overwrite is F');
      await this.hooks.observer?.removing(to);
      await rm(target, { recursive: true, force: true });
    }
    await rename(source, target);
    await this.hooks.observer?.moved(from, to);
    await syncDir(path.dirname(target));
    if (path.dirname(source) !== path.dirname(target)) await syncDir(path.dirname(source));
    return existing === undefined;
  }
}

/**
 * `.upload-pPID-MS-RANDOM`, unique among all nodes sharing the data directory. The `p` keeps it apart from the names of
 * older versions (`.upload-PID-…`), which the one-time sweep of uploads.ts removes when their process is gone: in a
 * cluster, the PID of another node's live upload would look like a dead process.
 */
function tempName(): string {
  return `${UPLOAD_TEMP_PREFIX}p${process.pid}-${Date.now()}-${randomBytes(6).toString('hex')}`;
}

/**
 * Renames a finished upload into place. If the user's folder lies on another filesystem than the upload area (a
 * separately mounted user folder), rename fails with EXDEV: the file is then copied next to the target under a
 * reserved temp name first, so the final step is still one atomic rename.
 */
async function renameInto(temp: string, target: string): Promise<void> {
  try {
    await rename(temp, target);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
  }
  const near = path.join(path.dirname(target), tempName());
  try {
    await copyFile(temp, near, fsConstants.COPYFILE_EXCL);
    await syncFile(near);
    await rename(near, target);
  } catch (error) {
    await rm(near, { force: true });
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/** fsync a file so its content survives a crash (opened for writing, as it was written). */
function syncFile(file: string): Promise<void> {
  return fsyncPath(file, 'r+');
}

/** fsync a directory so a rename / create / delete in it survives a crash (a directory only opens to read). */
function syncDir(dir: string): Promise<void> {
  return fsyncPath(dir, 'r');
}

async function fsyncPath(target: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await open(target, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
