import { AuthType, createClient, getPatcher, type FileStat, type WebDAVClient } from 'webdav';
import { InstanceError, errorForStatus } from '@/lib/instance/errors';
import { request } from '@/lib/instance/http';
import type { Credentials } from '@/lib/instance/client';

/** One entry of a folder of the user's own files. `path` is relative to the user's root, as OCS wants it. */
export interface FileItem {
  path: string;
  name: string;
  isFolder: boolean;
  size: number;
  /** ms since epoch, NaN when the server sent none. */
  modified: number;
}

// The `webdav` package fetches through its patcher. Routing it through our request() gives every WebDAV call the
// same rules as the OCS calls: no cookies, no silent redirects, a timeout, and InstanceError for network failures.
getPatcher().patch('fetch', (...args: unknown[]) => {
  const [url, init = {}] = args as [string, RequestInit?];
  return request(url, { method: init.method, headers: init.headers as Record<string, string>, body: init.body ?? undefined });
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
  async list(path: string): Promise<FileItem[]> {
    let stats: FileStat[];
    try {
      stats = (await this.dav.getDirectoryContents(path || '/')) as FileStat[];
    } catch (error) {
      throw davError(error);
    }
    return stats
      .map((s) => ({ path: s.filename, name: s.basename, isFolder: s.type === 'directory', size: s.size, modified: Date.parse(s.lastmod) }))
      .sort((a, b) => Number(b.isFolder) - Number(a.isFolder) || a.name.localeCompare(b.name));
  }
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
