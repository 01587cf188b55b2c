import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../http/errors';
import { mapBatches, type DavEntry, type DavFolder, type DavPermissions, type DavSpace } from './space';

const READ_ONLY: DavPermissions = { read: true, create: false, update: false, delete: false };

/**
 * One folder (or file) of another space, seen as a read-only space of its own. The bridge uses it: a mounted
 * remote share in the bridge user's space, passed on over OCM, is served to the receiver through this view, so
 * reads go through to the original link and nothing can be written back.
 */
export class SubSpace implements DavSpace {
  readonly permissions = READ_ONLY;

  constructor(
    private readonly inner: DavSpace,
    private readonly prefix: string[],
  ) {}

  private at(segments: string[]): string[] {
    return [...this.prefix, ...segments];
  }

  async stat(segments: string[]): Promise<DavEntry | undefined> {
    const entry = await this.inner.stat(this.at(segments));
    // The root keeps its own name; what the receiver sees is decided by its mount point, as for a local share.
    return entry && { ...entry, ocPermissions: 'S', remote: undefined };
  }

  async list(segments: string[]): Promise<DavEntry[]> {
    return (await this.inner.list(this.at(segments))).map((entry) => ({
      ...entry,
      ocPermissions: 'S',
      remote: undefined,
    }));
  }

  async listFolder(segments: string[]): Promise<DavFolder> {
    const folder = await this.inner.listFolder(this.at(segments));
    return {
      size: folder.size,
      children: mapBatches(folder.children, (entry) => ({ ...entry, ocPermissions: 'S', remote: undefined })),
    };
  }

  folderSize(segments: string[]): Promise<number> {
    return this.inner.folderSize(this.at(segments));
  }

  serve(segments: string[], req: IncomingMessage, res: ServerResponse, headOnly: boolean): Promise<void> {
    return this.inner.serve(this.at(segments), req, res, headOnly);
  }

  private refuse(): never {
    throw new HttpError(403, 'This share is read-only');
  }

  async write(): Promise<boolean> {
    return this.refuse();
  }

  async mkdir(): Promise<void> {
    this.refuse();
  }

  async remove(): Promise<void> {
    this.refuse();
  }

  async move(): Promise<boolean> {
    return this.refuse();
  }
}
