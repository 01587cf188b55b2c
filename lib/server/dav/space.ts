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

/**
 * A tree a WebDAV endpoint exposes. The user's tree (local files + mounted shares) and a public link share both
 * implement it, so the method handling (handler.ts) exists once.
 */
export interface DavSpace {
  readonly permissions: DavPermissions;
  stat(segments: string[]): Promise<DavEntry | undefined>;
  list(segments: string[]): Promise<DavEntry[]>;
  /** Folder size for oc:size / quota-used-bytes of the PROPFIND target; `children` are its entries if already listed. */
  folderSize(segments: string[], children?: DavEntry[]): Promise<number>;
  /** Streams a file (GET/HEAD, with Range) into res. */
  serve(segments: string[], req: IncomingMessage, res: ServerResponse, headOnly: boolean): Promise<void>;
  write(segments: string[], body: IncomingMessage): Promise<boolean>;
  mkdir(segments: string[]): Promise<void>;
  remove(segments: string[]): Promise<void>;
  move(from: string[], to: string[], overwrite: boolean): Promise<boolean>;
}
