/**
 * Everything that can go wrong while adding a share or connecting a cloud, as a code with parameters. `lib/`
 * produces these; only the UI turns them into words (components/problem-text.ts, in the user's language).
 *
 * A failure of one server names which server it was: the user's own cloud (`instance`, named by the cloud id),
 * the sharer's server (`sharer`, named by its address) or the user's bridge (`bridge`, by its cloud id).
 */
export type ServerRole = 'instance' | 'sharer' | 'bridge';

/** How a call to a server failed, whoever that server is. */
export const SERVER_FAILURES = [
  'unreachable',
  'timeout',
  'unauthorized',
  'forbidden',
  'not-found',
  'server-error',
  'bad-response',
  'rejected',
  'redirected',
  'throttled',
] as const;
export type ServerFailure = (typeof SERVER_FAILURES)[number];

/** Problems with no parameter. */
export const PLAIN_PROBLEMS = [
  /** The confirmation expired or was never there. */
  'confirmation-expired',
  /** No account to add to (or its app password is gone). */
  'not-connected',
  'link-invalid',
  /** The share tab was closed or navigated away: the sharer is asked from that tab. */
  'share-page-closed',
  'password-wrong',
  'password-needed',
  'link-is-file-drop',
  'instance-is-ocis',
  'sharer-is-ocis',
  /** An Infinite Scale / OpenCloud link into ownCloud or Nextcloud: only a bridge can read it, and none is set up. */
  'sharer-ocis-needs-bridge',
  'no-path-worked',
  /** The background stopped mid-way (MV3 worker); the add is idempotent, so trying again is safe. */
  'interrupted',
  // Connecting
  'address-empty',
  'address-spaces',
  'address-scheme',
  'address-credentials',
  'login-cancelled',
  'login-timeout',
  'fill-in-login',
  'unexpected',
] as const;
export type PlainProblem = (typeof PLAIN_PROBLEMS)[number];

/** Problems about one server, named by `server` (a cloud id or an address). */
export const SERVER_PROBLEMS = [
  /** The link was deleted or expired on the sharer, or its server will not let it be federated. */
  'link-gone',
  'sharer-cannot-federate',
  'sharer-not-a-cloud',
  'sharer-refused-cloud-id',
  'instance-refuses-federation',
  'instance-no-session',
  /** The user's cloud could not read the sharer's server (named) to mount the link. */
  'instance-cannot-reach-sharer',
  'instance-lost-share',
  'bridge-lost-share',
  /** Not allowed to talk to this server any more (the host permission was taken back). */
  'permission-missing',
  // Connecting
  'not-a-cloud',
  'not-installed',
  'maintenance',
  'permission-denied',
  'bridge-must-be-companion',
  'ocis-cannot-connect',
  'login-rejected',
  'login-bad-answer',
] as const;
export type ServerProblem = (typeof SERVER_PROBLEMS)[number];

export type Problem =
  | { code: PlainProblem }
  | { code: ServerProblem; server: string }
  | { code: `${ServerRole}-${ServerFailure}`; server: string; status?: number }
  /** The sharer sent the share (or the bridge passed it on), but it never showed up on the user's cloud. */
  | { code: 'share-not-arrived'; server: string; from: 'sharer' | 'bridge' }
  /** Added, but the item does not show up in the user's files (yet). */
  | { code: 'share-not-visible'; server: string; path: string }
  /** The sharer's server could not reach the user's cloud to deliver the share. */
  | { code: 'sharer-cannot-reach-instance'; server: string; instance: string }
  /** These two kinds of server cannot federate directly and no bridge is set up. */
  | { code: 'pair-needs-bridge'; sharer: string; instance: string }
  /** The login page the server named lies on another site. */
  | { code: 'login-other-site'; server: string; site: string }
  | { code: 'address-invalid'; input: string }
  | { code: 'address-no-host'; input: string }
  | { code: 'address-bad-user'; user: string };

export type ProblemCode = Problem['code'];

/** A failure that already knows its problem (not one of a server call: see InstanceError for those). */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.code);
    this.name = 'ProblemError';
  }
}

/** A server failure of a given role, e.g. `{ code: 'instance-unreachable', server: 'bob@cloud.example' }`. */
export function serverProblem(role: ServerRole, failure: ServerFailure, server: string, status?: number): Problem {
  return { code: `${role}-${failure}`, server, ...(status !== undefined && { status }) };
}
