import { HttpError } from '../http/errors';

// Requests run concurrently on the same files: a DELETE or MOVE can remove a folder between one request's checks and
// its own rename, mkdir or open. The filesystem then answers "no such file" (or "not a directory", "exists", …). That
// is a conflict with another request, which the client can resolve by looking again, not an internal error.

const CONCURRENT_CHANGE = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY']);

/** A 409 for a filesystem error caused by a concurrent change of the tree, else undefined. */
export function concurrentChangeError(error: unknown): HttpError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (code === undefined || syscall === undefined || !CONCURRENT_CHANGE.has(code)) return undefined;
  return new HttpError(409, 'The file or folder was changed by another request, try again');
}
