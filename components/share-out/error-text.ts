import { InstanceError, type InstanceErrorCode } from '@/lib/instance/errors';
import { t, type MessageKey } from '@/lib/i18n';
import { ProblemError } from '@/lib/problem';
import { problemText } from '../problem-text';

/** Each failure in the user's language: what happened, then what to do next. */
const BY_CODE: Record<InstanceErrorCode, MessageKey> = {
  unreachable: 'errUnreachable',
  timeout: 'errTimeout',
  unauthorized: 'errUnauthorized',
  forbidden: 'errForbidden',
  'not-found': 'errNotFound',
  'server-error': 'errServerError',
  'bad-response': 'errBadResponse',
  rejected: 'errRejected',
};

export function errorText(error: unknown): string {
  // A failure that knows its problem says it (the diagnostics: a status.php that is no cloud's, not installed…).
  if (error instanceof ProblemError) return problemText(error.problem);
  if (error instanceof InstanceError && error.problem) return problemText(error.problem);
  if (!(error instanceof InstanceError))
    return t('errUnexpected', error instanceof Error ? error.message : String(error));
  // A message of the server's own (e.g. "Passwords are enforced for link shares") says more than ours: quote it.
  const quotable = error.code === 'rejected' || error.code === 'forbidden' || error.code === 'not-found';
  const own = error.message !== new InstanceError(error.code).message && !/HTTP \d+|OCS \d+/.test(error.message);
  if (quotable && own) return t('errServerSaid', error.message);
  return t(BY_CODE[error.code]);
}
