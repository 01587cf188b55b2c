import { ProblemError, serverProblem, type Problem, type ServerFailure, type ServerRole } from '@/lib/problem';

/** How a call to a server failed. The words for each live in the UI (components/problem-text.ts). */
export type InstanceErrorCode =
  'unreachable' | 'timeout' | 'unauthorized' | 'forbidden' | 'not-found' | 'server-error' | 'bad-response' | 'rejected';

export interface InstanceErrorDetails {
  /** What exactly went wrong, when the thrower knows more than the code (e.g. a wrong link password). */
  problem?: Problem;
  /** A finer kind than `code` for the words (a redirect, throttling); defaults to the code. */
  failure?: ServerFailure;
}

/**
 * A failed server call. `message` is the server's own text when it gave one (OCS `meta.message`), kept for the
 * share-out panel, which quotes it; otherwise just the code. The add and connect flows never show it: they show
 * the problem (`problemFrom`).
 */
export class InstanceError extends Error {
  readonly problem?: Problem;
  readonly failure: ServerFailure;
  constructor(
    readonly code: InstanceErrorCode,
    serverMessage?: string,
    readonly status?: number,
    details: InstanceErrorDetails = {},
  ) {
    super(serverMessage ?? code);
    this.name = 'InstanceError';
    this.problem = details.problem;
    this.failure = details.failure ?? code;
  }
}

/** An InstanceError that knows its problem exactly. */
export function failWith(code: InstanceErrorCode, problem: Problem, status?: number): InstanceError {
  return new InstanceError(code, undefined, status, { problem });
}

/**
 * The one reading of an HTTP status, for every server we call; undefined for success. Callers that know more
 * (a sharer's 403 is about the link's password) judge their own statuses first and leave the rest to this.
 */
export function errorForStatus(status: number): InstanceError | undefined {
  if (status < 400) return undefined;
  if (status === 403) return new InstanceError('forbidden', undefined, status);
  if (status === 404) return new InstanceError('not-found', undefined, status);
  if (status === 429) return new InstanceError('rejected', undefined, status, { failure: 'throttled' });
  return refusalForStatus(status);
}

/**
 * The same reading, coarse: for calls that tell only a lost login (401) and a broken server (5xx) apart from a
 * refusal. Any other failed status, 403, 404 and 429 included, is `rejected`.
 */
export function refusalForStatus(status: number): InstanceError {
  if (status === 401) return new InstanceError('unauthorized', undefined, status);
  if (status >= 500) return new InstanceError('server-error', undefined, status);
  return new InstanceError('rejected', undefined, status);
}

/**
 * The problem behind any failure, naming the server it happened on: an InstanceError's own problem if it has
 * one, else its failure on that server (`instance-unreachable` for `bob@cloud.example`); anything else is a bug.
 */
export function problemFrom(error: unknown, role: ServerRole, server: string): Problem {
  if (error instanceof ProblemError) return error.problem;
  if (error instanceof InstanceError) return error.problem ?? serverProblem(role, error.failure, server, error.status);
  return { code: 'unexpected' };
}
