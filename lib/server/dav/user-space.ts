import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createHash } from 'node:crypto';
import { HttpError } from '../http/errors';
import { FOLDER_MIME, mimeOf } from '../files/mime';
import type { UserTree } from '../files/tree';
import type { ExternalShare, Store } from '../store/types';
import { asHttpError } from '../federation/fetch';
import type { Outbound } from '../federation/outbound';
import {
  credentialsOf,
  passThroughHeaders,
  remoteGet,
  remotePropfind,
  type RemoteEntry,
} from '../federation/remote-dav';
import { userContentHeaders } from '../files/serve';
import { FULL, LocalSpace } from './local-space';
import type { DavEntry, DavFolder, DavSpace } from './space';

const MOUNT_PERMISSIONS = 'SDNV'; // a mount can be unmounted (DELETE) but its content is read-only here

/** A user's own files plus the external shares they mounted, which appear as top-level entries and read through. */
export class UserSpace implements DavSpace {
  readonly permissions = FULL;
  private readonly local: LocalSpace;

  constructor(
    tree: UserTree,
    private readonly uid: string,
    private readonly store: Store,
    private readonly outbound: Outbound,
    private readonly onUnmount: (share: ExternalShare) => Promise<void>,
  ) {
    this.local = new LocalSpace(tree, [], FULL);
  }

  private mounts(): Promise<ExternalShare[]> {
    return this.store.listExternalShares(this.uid, true);
  }

  /** The mount a path lies in, if any. */
  private async mountOf(segments: string[]): Promise<{ share: ExternalShare; rest: string[] } | undefined> {
    const first = segments[0];
    if (first === undefined) return undefined;
    const share = (await this.mounts()).find((m) => m.mountpoint === `/${first}`);
    return share && { share, rest: segments.slice(1) };
  }

  private mountEntry(share: ExternalShare): DavEntry {
    const name = share.mountpoint.slice(1);
    return {
      name,
      isDir: share.itemType === 'folder',
      size: 0,
      mtime: new Date(share.createdAt * 1000),
      etag: createHash('md5').update(`mount:${share.id}:${share.createdAt}`).digest('hex'),
      fileId: 2 ** 40 + share.id,
      mime: share.itemType === 'folder' ? FOLDER_MIME : mimeOf(name),
      ocPermissions: MOUNT_PERMISSIONS,
      remote: share.remote,
    };
  }

  private fromRemote(share: ExternalShare, entry: RemoteEntry): DavEntry {
    return {
      ...entry,
      fileId: 2 ** 41 + share.id * 2 ** 20 + (parseInt(entry.etag.slice(0, 5), 16) || 0),
      ocPermissions: 'S',
    };
  }

  private async remoteList(share: ExternalShare, rest: string[], depth: 0 | 1): Promise<RemoteEntry[]> {
    let result;
    try {
      result = await remotePropfind(this.outbound, credentialsOf(share), rest, depth);
    } catch (error) {
      throw asHttpError(error);
    }
    if (result.status === 404) throw new HttpError(404, 'File not found');
    if (result.status === 401 || result.status === 403)
      throw new HttpError(502, 'The remote share is no longer accessible');
    if (result.status === 508) throw new HttpError(508, 'Loop detected: the remote share reads through this one');
    if (result.status !== 207) throw new HttpError(502, `Remote answered ${result.status}`);
    return result.entries;
  }

  async stat(segments: string[]): Promise<DavEntry | undefined> {
    const mount = await this.mountOf(segments);
    if (!mount) return this.local.stat(segments);
    if (mount.rest.length === 0) return this.mountEntry(mount.share);
    try {
      const [self] = await this.remoteList(mount.share, mount.rest, 0);
      return self && { ...this.fromRemote(mount.share, self), name: segments.at(-1) ?? '' };
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  async list(segments: string[]): Promise<DavEntry[]> {
    const mount = await this.mountOf(segments);
    if (!mount) {
      const entries = await this.local.list(segments);
      if (segments.length > 0) return entries;
      const mounted = (await this.mounts()).map((share) => this.mountEntry(share));
      const names = new Set(mounted.map((m) => m.name));
      return [...entries.filter((e) => !names.has(e.name)), ...mounted].sort((a, b) => a.name.localeCompare(b.name));
    }
    if (mount.share.itemType === 'file') return [];
    const entries = await this.remoteList(mount.share, mount.rest, 1);
    // The first response describes the folder itself; children are one level deeper.
    return entries
      .filter((e) => e.segments.length === mount.rest.length + 1)
      .map((e) => this.fromRemote(mount.share, e));
  }

  async listFolder(segments: string[]): Promise<DavFolder> {
    if (await this.mountOf(segments)) {
      // Mounted content takes no local space: its folders (and the mount itself) report size 0.
      return {
        size: 0,
        children: [(await this.list(segments)).map((entry) => (entry.isDir ? { ...entry, size: 0 } : entry))],
      };
    }
    const local = await this.local.listFolder(segments);
    if (segments.length > 0) return local;
    const mounted = (await this.mounts())
      .map((share) => this.mountEntry(share))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { size: local.size, children: withMounts(local.children, mounted) };
  }

  async folderSize(segments: string[]): Promise<number> {
    if (await this.mountOf(segments)) return 0;
    return this.local.folderSize(segments); // at the root, mounted shares take no local space
  }

  async serve(segments: string[], req: IncomingMessage, res: ServerResponse, headOnly: boolean): Promise<void> {
    const mount = await this.mountOf(segments);
    if (!mount) return this.local.serve(segments, req, res, headOnly);
    if (mount.share.itemType === 'folder' && mount.rest.length === 0)
      throw new HttpError(405, 'Cannot download a folder over WebDAV');
    let response: Response;
    try {
      response = await remoteGet(this.outbound, credentialsOf(mount.share), mount.rest, req.headers.range);
    } catch (error) {
      throw asHttpError(error);
    }
    if (response.status === 404) throw new HttpError(404, 'File not found');
    if (response.status === 416) {
      // A range past the end of the remote file is the client's mistake, as it would be for a local file.
      await response.body?.cancel();
      const contentRange = response.headers.get('content-range');
      throw new HttpError(
        416,
        'Requested range not satisfiable',
        undefined,
        contentRange ? { 'Content-Range': contentRange } : undefined,
      );
    }
    if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel();
      throw new HttpError(502, `Remote answered ${response.status}`);
    }
    const name = segments.at(-1) ?? '';
    res.writeHead(response.status, { ...userContentHeaders(name), ...passThroughHeaders(response) });
    if (headOnly || !response.body) {
      await response.body?.cancel();
      res.end();
      return;
    }
    try {
      await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>), res);
    } catch {
      res.destroy();
    }
  }

  private async refuseInMount(segments: string[]): Promise<void> {
    if (await this.mountOf(segments)) throw new HttpError(403, 'Mounted shares are read-only');
  }

  async write(segments: string[], body: IncomingMessage): Promise<boolean> {
    await this.refuseInMount(segments);
    return this.local.write(segments, body);
  }

  async mkdir(segments: string[]): Promise<void> {
    await this.refuseInMount(segments);
    await this.local.mkdir(segments);
  }

  async remove(segments: string[]): Promise<void> {
    const mount = await this.mountOf(segments);
    if (mount && mount.rest.length === 0) return this.onUnmount(mount.share);
    await this.refuseInMount(segments);
    await this.local.remove(segments);
  }

  async move(from: string[], to: string[], overwrite: boolean): Promise<boolean> {
    await this.refuseInMount(from);
    await this.refuseInMount(to);
    return this.local.move(from, to, overwrite);
  }
}

/**
 * The root listing: local entries (in name order, in batches) with the mounts (sorted the same way) merged in at their
 * place; a mount hides a local entry of the same name.
 */
function* withMounts(local: Iterable<DavEntry[]>, mounts: DavEntry[]): Generator<DavEntry[]> {
  const names = new Set(mounts.map((m) => m.name));
  let next = 0;
  for (const batch of local) {
    const out: DavEntry[] = [];
    for (const entry of batch) {
      if (names.has(entry.name)) continue;
      while (next < mounts.length && (mounts[next]?.name ?? '') < entry.name) out.push(mounts[next++] as DavEntry);
      out.push(entry);
    }
    yield out;
  }
  if (next < mounts.length) yield mounts.slice(next);
}
