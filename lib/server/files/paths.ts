import path from 'node:path';
import { realpath } from 'node:fs/promises';
import { HttpError } from '../http/errors';

// The one place that turns a client-supplied path into a location on disk. Every file access goes through here so a
// hostile path can never reach outside the user's tree: no "..", no NUL, no encoded "/" inside a name, no absolute
// tricks, and no symlink that leads out.
//
// Names are normalized to Unicode NFC here, so "é" typed as U+00E9 and as "e" + U+0301 (what macOS sends) address one
// file; tree.ts still finds a file stored under the other form by an older version or put there by hand.

/** Prefix of temp files of uploads in progress (see tree.ts): reserved, never listed and never addressable. */
export const UPLOAD_TEMP_PREFIX = '.upload-';

/**
 * Splits a raw (still percent-encoded) URL path into decoded names. Empty and "." segments are dropped; ".." is refused
 * instead of resolved, because a legitimate client never needs it.
 */
export function decodeSegments(rawPath: string): string[] {
  const out: string[] = [];
  for (const raw of rawPath.split('/')) {
    if (raw === '' || raw === '.') continue;
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      throw new HttpError(400, 'Malformed path encoding');
    }
    out.push(checkName(name));
  }
  return out;
}

/** Splits an already-decoded path (OCS `path=`, shareinfo, mount names) the same strict way. */
export function plainSegments(plainPath: string): string[] {
  const out: string[] = [];
  for (const name of plainPath.split('/')) {
    if (name === '' || name === '.') continue;
    out.push(checkName(name));
  }
  return out;
}

/** Validates one name of a lookup and returns it in NFC. */
function checkName(raw: string): string {
  const name = raw.normalize('NFC');
  if (name.includes('\0')) throw new HttpError(400, 'Invalid character in path');
  if (name.includes('/') || name.includes('\\')) throw new HttpError(400, 'Encoded path separators are not allowed');
  if (name === '..' || name === '.') throw new HttpError(403, 'Path traversal is not allowed');
  if (Buffer.byteLength(name) > 255) throw new HttpError(400, 'Name too long');
  // Like ownCloud's reserved ".part" names: a temp file of an upload (left behind by a crash of an older version, or
  // the same-folder fallback in tree.ts) can never be read, overwritten or created by name.
  if (name.startsWith(UPLOAD_TEMP_PREFIX))
    throw new HttpError(403, `Names starting with ${UPLOAD_TEMP_PREFIX} are reserved for uploads in progress`);
  return name;
}

/**
 * Stricter rules for a name about to be created (PUT of a new file, MKCOL, MOVE destination): no control characters
 * (U+0000–U+001F, U+007F). They are invisible and break XML and shells; ownCloud refuses U+0000–U+001F too.
 * Existing files with such names stay readable and deletable.
 */
export function checkNewName(name: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new HttpError(400, 'Names must not contain control characters');
}

export function toPlainPath(segments: readonly string[]): string {
  return `/${segments.join('/')}`;
}

/** Absolute on-disk path for segments under root (segments are already validated by decodeSegments/plainSegments). */
export function join(root: string, segments: readonly string[]): string {
  const target = path.resolve(root, ...segments);
  if (target !== root && !target.startsWith(root + path.sep)) throw new HttpError(403, 'Path traversal is not allowed');
  return target;
}

/**
 * Follows symlinks of the deepest existing ancestor of `target` and refuses if that lands outside `root`.
 * Called before every read and write.
 */
export async function assertInside(root: string, target: string): Promise<void> {
  const realRoot = await realpath(root);
  let probe = target;
  for (;;) {
    try {
      const real = await realpath(probe);
      if (real !== realRoot && !real.startsWith(realRoot + path.sep))
        throw new HttpError(403, 'Path leaves the user tree');
      return;
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const parent = path.dirname(probe);
      if (parent === probe) throw new HttpError(403, 'Path leaves the user tree');
      probe = parent;
    }
  }
}
