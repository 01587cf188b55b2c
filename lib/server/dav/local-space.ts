import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../http/errors';
import { serveFile } from '../files/serve';
import type { Entry, UserTree } from '../files/tree';
import { inBatches, type DavEntry, type DavFolder, type DavPermissions, type DavSpace } from './space';

export const FULL: DavPermissions = { read: true, create: true, update: true, delete: true };

/**
 * Permission letters as ownCloud shows them: R share, D delete, N rename, V move, W write, C create file, K create
 * folder.
 */
function ocPermissions(entry: Entry, p: DavPermissions, shared = false): string {
  let out = shared ? 'S' : '';
  if (p.delete) out += 'DNV';
  if (entry.isDir) {
    if (p.create) out += 'CK';
  } else if (p.update) out += 'W';
  return out;
}

/**
 * A subtree of a user's files: the whole tree for its owner, or the shared path for a public link. A file share's
 * space has the file itself as its root.
 */
export class LocalSpace implements DavSpace {
  constructor(
    private readonly tree: UserTree,
    private readonly base: string[],
    readonly permissions: DavPermissions,
    private readonly rootIsFile = false,
    /** The link's OCS permissions when this space is a public share. */
    private readonly sharePermissions?: number,
  ) {}

  private full(segments: string[]): string[] {
    if (this.rootIsFile && segments.length > 0) throw new HttpError(404, 'File not found');
    return [...this.base, ...segments];
  }

  private decorate(entry: Entry): DavEntry {
    // ownCloud's public WebDAV masks with the link permissions plus "share" (apps/dav/appinfo/v1/publicwebdav.php), so
    // every entry of a link carries "R" (captures s2s-via-8111-to-alice/004); receivers read it as "may reshare".
    const shareable = this.sharePermissions === undefined ? '' : 'R';
    // Spelled out instead of spread: this runs for every entry of a listing, and a literal is several times faster.
    return {
      name: entry.name,
      isDir: entry.isDir,
      size: entry.size,
      mtime: entry.mtime,
      etag: entry.etag,
      fileId: entry.fileId,
      mime: entry.mime,
      ocPermissions: shareable + ocPermissions(entry, this.permissions),
      sharePermissions: this.sharePermissions,
    };
  }

  async stat(segments: string[]): Promise<DavEntry | undefined> {
    const entry = await this.tree.stat(this.full(segments));
    return entry && this.decorate(segments.length === 0 ? { ...entry, name: '' } : entry);
  }

  async list(segments: string[]): Promise<DavEntry[]> {
    if (!this.permissions.read) return []; // file drop: uploads only, nothing to see
    return (await this.tree.list(this.full(segments))).map((entry) => this.decorate(entry));
  }

  async listFolder(segments: string[]): Promise<DavFolder> {
    if (!this.permissions.read) return { size: 0, children: [] }; // file drop: nothing to see
    const full = this.full(segments);
    const listing = await this.tree.children(full);
    // Sub-folders report their own size like ownCloud's (captures s2s-via-8111-to-alice/007: sub/ has quota-used-bytes
    // 9). Each subtree is walked once; the folder's own size is its files plus those sizes.
    let size = 0;
    for (let i = 0; i < listing.length; i++) {
      if (listing.isDir(i) && !listing.isLink(i))
        listing.setFolderSize(i, await this.tree.sizeOf([...full, listing.name(i)]));
      size += listing.size(i);
    }
    return { size, children: inBatches(listing.length, (i) => this.decorate(listing.entry(i))) };
  }

  folderSize(segments: string[]): Promise<number> {
    return this.tree.sizeOf(this.full(segments));
  }

  async serve(segments: string[], req: IncomingMessage, res: ServerResponse, headOnly: boolean): Promise<void> {
    if (!this.permissions.read) throw new HttpError(403, 'This share does not allow downloads');
    const full = this.full(segments);
    const entry = await this.tree.mustStat(full);
    if (entry.isDir) throw new HttpError(405, 'Cannot download a folder over WebDAV');
    await serveFile(await this.tree.locate(full), entry, req, res, headOnly);
  }

  async write(segments: string[], body: IncomingMessage): Promise<boolean> {
    const full = this.full(segments);
    const exists = await this.tree.stat(full);
    if (exists ? !this.permissions.update : !this.permissions.create)
      throw new HttpError(403, 'Not allowed to write here');
    return this.tree.write(full, body);
  }

  async mkdir(segments: string[]): Promise<void> {
    if (!this.permissions.create) throw new HttpError(403, 'Not allowed to create folders here');
    await this.tree.mkdir(this.full(segments));
  }

  async remove(segments: string[]): Promise<void> {
    if (!this.permissions.delete || (segments.length === 0 && this.base.length > 0))
      throw new HttpError(403, 'Not allowed to delete this');
    await this.tree.remove(this.full(segments));
  }

  async move(from: string[], to: string[], overwrite: boolean): Promise<boolean> {
    if (!this.permissions.delete || !this.permissions.create) throw new HttpError(403, 'Not allowed to move this');
    // The root of a shared folder is the share itself: a visitor may move what is inside, not the share or onto it.
    if ((from.length === 0 || to.length === 0) && this.base.length > 0)
      throw new HttpError(403, 'Not allowed to move the shared folder itself');
    return this.tree.move(this.full(from), this.full(to), overwrite);
  }
}
