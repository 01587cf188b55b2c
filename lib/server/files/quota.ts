import { Transform, type TransformCallback } from 'node:stream';
import { HttpError } from '../http/errors';
import { QUOTA_USAGE_CACHE_MS } from '../timeouts';

// Per-user storage quota (`--user-quota`). Uploads count against the owner of the folder they land in, so anonymous
// uploads into a file-drop link fill the link owner's quota, not the disk. Answers 507 Insufficient Storage like
// ownCloud. Usage is the size of the user's tree (mounted remote shares are not ours and do not count); walking a big
// tree is slow, so the walk is cached for a minute and corrected by the uploads in between. A stale value can only
// delay a refusal: before refusing, the tree is walked again.

interface QuotaStatus {
  used: number;
  /** null = unlimited */
  total: number | null;
  free: number | null;
}

export class Quota {
  private readonly usage = new Map<string, { bytes: number; at: number }>();
  /** Bytes of uploads still arriving, per user: parallel uploads cannot each use the same free space. */
  private readonly arriving = new Map<string, number>();

  constructor(
    readonly limit: number | null,
    private readonly walk: (uid: string) => Promise<number>,
  ) {}

  async status(uid: string): Promise<QuotaStatus> {
    const used = await this.used(uid);
    return { used, total: this.limit, free: this.limit === null ? null : Math.max(0, this.limit - used) };
  }

  /**
   * A pass-through for one upload into uid's tree, replacing a file of `replacedBytes` (0 for a new one), or undefined
   * when there is no limit. Refuses at once if the declared length cannot fit, else as soon as the bytes stop fitting.
   */
  async guard(uid: string, replacedBytes: number, declaredLength?: number): Promise<Transform | undefined> {
    if (this.limit === null) return undefined;
    const fits = async (bytes: number, fresh: boolean) =>
      (await this.used(uid, fresh)) + (this.arriving.get(uid) ?? 0) + bytes - replacedBytes <= (this.limit ?? Infinity);
    if (declaredLength !== undefined && !(await fits(declaredLength, false)) && !(await fits(declaredLength, true))) {
      throw insufficient(declaredLength);
    }
    return new UploadCounter(this, uid, replacedBytes, fits);
  }

  /** Book-keeping of UploadCounter. */
  arrived(uid: string, bytes: number): void {
    const left = (this.arriving.get(uid) ?? 0) + bytes;
    if (left > 0) this.arriving.set(uid, left);
    else this.arriving.delete(uid);
  }

  stored(uid: string, bytes: number): void {
    const cached = this.usage.get(uid);
    if (cached) cached.bytes += bytes;
  }

  private async used(uid: string, fresh = false): Promise<number> {
    const cached = this.usage.get(uid);
    if (cached && !fresh && Date.now() - cached.at < QUOTA_USAGE_CACHE_MS) return cached.bytes;
    const bytes = await this.walk(uid);
    this.usage.set(uid, { bytes, at: Date.now() });
    return bytes;
  }
}

function insufficient(bytes: number): HttpError {
  return new HttpError(507, `Insufficient space, ${bytes} bytes required`);
}

/** Counts an upload's bytes as they pass: one addition and comparison per chunk, a tree walk only near the limit. */
class UploadCounter extends Transform {
  private counted = 0;
  private checkedFresh = false;

  constructor(
    private readonly quota: Quota,
    private readonly uid: string,
    private readonly replacedBytes: number,
    private readonly fits: (bytes: number, fresh: boolean) => Promise<boolean>,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.counted += chunk.length;
    this.quota.arrived(this.uid, chunk.length);
    this.admit().then(
      (ok) => (ok ? callback(null, chunk) : callback(insufficient(this.counted))),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }

  private async admit(): Promise<boolean> {
    if (await this.fits(0, false)) return true;
    if (this.checkedFresh) return false;
    this.checkedFresh = true; // one fresh walk per upload at most
    return this.fits(0, true);
  }

  override _flush(callback: TransformCallback): void {
    this.quota.stored(this.uid, this.counted - this.replacedBytes);
    callback();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.quota.arrived(this.uid, -this.counted);
    callback(error);
  }
}
