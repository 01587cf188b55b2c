import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Entry } from '../files/tree';

/** What a WebDAV client may do in a space (the user's own files, or a public share with its link permissions). */
export interface DavPermissions {
  read: boolean;
  create: boolean;
  update: boolean;
  delete: boolean;
}

export interface DavEntry extends Entry {
  /** oc:permissions letters for this entry. */
  ocPermissions: string;
  /** OCS share permissions of a public share's entries (ocs:share-permissions, read by ownCloud receivers). */
  sharePermissions?: number;
  /** Set for entries that are mounted remote shares (shown with the share's origin in the web UI). */
  remote?: string;
}

/** A folder as a depth-1 PROPFIND shows it. */
export interface DavFolder {
  /** The folder's size: the sum of its files, recursively. */
  size: number;
  /**
   * Its children in name order, folders with their folder size as `size`. Handed out in batches, so entries (and their
   * XML) are made only as the answer is written.
   */
  children: Iterable<DavEntry[]>;
}

/**
 * A tree a WebDAV endpoint exposes. The user's tree (local files + mounted shares) and a public link share both
 * implement it, so the method handling (handler.ts) exists once.
 */
export interface DavSpace {
  readonly permissions: DavPermissions;
  stat(segments: string[]): Promise<DavEntry | undefined>;
  list(segments: string[]): Promise<DavEntry[]>;
  /** A folder with its size and children, for PROPFIND depth 1. */
  listFolder(segments: string[]): Promise<DavFolder>;
  /** Folder size for oc:size / quota-used-bytes of a PROPFIND depth 0 target. */
  folderSize(segments: string[]): Promise<number>;
  /** Streams a file (GET/HEAD, with Range) into res. */
  serve(segments: string[], req: IncomingMessage, res: ServerResponse, headOnly: boolean): Promise<void>;
  write(segments: string[], body: IncomingMessage): Promise<boolean>;
  mkdir(segments: string[]): Promise<void>;
  remove(segments: string[]): Promise<void>;
  move(from: string[], to: string[], overwrite: boolean): Promise<boolean>;
}

/** Entries 0..count-1, made by `make` one batch of `size` at a time, only when that batch is reached. */
export function* inBatches(count: number, make: (index: number) => DavEntry, size = 256): Generator<DavEntry[]> {
  for (let start = 0; start < count; start += size) {
    const batch: DavEntry[] = [];
    for (let i = start; i < Math.min(count, start + size); i++) batch.push(make(i));
    yield batch;
  }
}

/** Maps every entry of every batch lazily. */
export function* mapBatches(batches: Iterable<DavEntry[]>, map: (entry: DavEntry) => DavEntry): Generator<DavEntry[]> {
  for (const batch of batches) yield batch.map(map);
}
