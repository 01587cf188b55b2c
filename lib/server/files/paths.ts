import path from 'node:path';
import { realpath } from 'node:fs/promises';
import { HttpError } from '../http/errors';

// The one place that turns a client-supplied path into a location on disk. Every file access goes through here so a
// hostile path can never reach outside the user's tree: no "..", no NUL, no encoded "/" inside a name, no absolute
// tricks, and no symlink that leads out.

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
    checkName(name);
    out.push(name);
  }
  return out;
}

/** Splits an already-decoded path (OCS `path=`, shareinfo, mount names) the same strict way. */
export function plainSegments(plainPath: string): string[] {
  const out: string[] = [];
  for (const name of plainPath.split('/')) {
    if (name === '' || name === '.') continue;
    checkName(name);
    out.push(name);
  }
  return out;
}

function checkName(name: string): void {
  if (name.includes('\0')) throw new HttpError(400, 'Invalid character in path');
  if (name.includes('/') || name.includes('\\')) throw new HttpError(400, 'Encoded path separators are not allowed');
  if (name === '..' || name === '.') throw new HttpError(403, 'Path traversal is not allowed');
  if (Buffer.byteLength(name) > 255) throw new HttpError(400, 'Name too long');
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
      if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw new HttpError(403, 'Path leaves the user tree');
      return;
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const parent = path.dirname(probe);
      if (parent === probe) throw new HttpError(403, 'Path leaves the user tree');
      probe = parent;
    }
  }
}
