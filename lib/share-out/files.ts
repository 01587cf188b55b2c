import { AuthType, createClient, getPatcher, type FileStat, type WebDAVClient } from 'webdav';
import { InstanceError, errorForStatus } from '@/lib/instance/errors';
import { request } from '@/lib/instance/http';
import type { Credentials } from '@/lib/instance/client';
import { ownershipOf, PROPFIND_BODY, type Ownership } from './received';

/** One entry of a folder of the user's own files. `path` is relative to the user's root, as OCS wants it. */
export interface FileItem {
  path: string;
  name: string;
  isFolder: boolean;
  size: number;
  /** ms since epoch, NaN when the server sent none. */
  modified: number;
  /** Received or own; absent when the server did not say (treated as own). */
  ownership?: Ownership;
}

/** A folder's entries and the folder itself (whose ownership decides "Share this folder"). */
export interface FolderListing {
  folder?: FileItem;
  items: FileItem[];
}

// The `webdav` package fetches through its patcher. Routing it through our request() gives every WebDAV call the
// same rules as the OCS calls: no cookies, no silent redirects, a timeout, and InstanceError for network failures.
getPatcher().patch('fetch', (...args: unknown[]) => {
  const [url, init = {}] = args as [string, RequestInit?];
  return request(url, {
    method: init.method,
    headers: init.headers as Record<string, string>,
    body: init.body ?? undefined,
  });
});

/** Folder listings through WebDAV (`/remote.php/dav/files/USER`), one folder at a time (Depth 1). */
export class FileBrowser {
  private readonly dav: WebDAVClient;

  constructor(credentials: Credentials, userId: string) {
    this.dav = createClient(`${credentials.baseUrl}/remote.php/dav/files/${encodeURIComponent(userId)}`, {
      authType: AuthType.Password,
      username: credentials.loginName,
      password: credentials.appPassword,
    });
  }

  /** Folders first, then by name in the user's language order. */
  async list(path: string): Promise<FolderListing> {
    const target = path || '/';
    let stats: FileStat[];
    try {
      const answer = await this.dav.getDirectoryContents(target, {
        details: true,
        includeSelf: true,
        data: PROPFIND_BODY,
      });
      stats = answer.data;
    } catch (error) {
      throw davError(error);
    }
    const self = (s: FileStat) => s.filename.replace(/\/$/, '') === target.replace(/\/$/, '') && s.type === 'directory';
    const items = stats
      .filter((s) => !self(s))
      .map(toItem)
      .sort((a, b) => Number(b.isFolder) - Number(a.isFolder) || a.name.localeCompare(b.name));
    const folder = stats.find(self);
    return { ...(folder && { folder: toItem(folder) }), items };
  }
}

function toItem(s: FileStat): FileItem {
  const item: FileItem = {
    path: s.filename,
    name: s.basename,
    isFolder: s.type === 'directory',
    size: s.size,
    modified: Date.parse(s.lastmod),
  };
  return s.props ? { ...item, ownership: ownershipOf(s.props) } : item;
}

/** The library throws plain Errors with a `status`; ours carry a message the user can act on. */
function davError(error: unknown): InstanceError {
  if (error instanceof InstanceError) return error;
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') {
    return errorForStatus(status) ?? new InstanceError('bad-response');
  }
  return new InstanceError('bad-response');
}
