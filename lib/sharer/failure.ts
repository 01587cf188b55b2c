import { errorForStatus, failWith, InstanceError } from '@/lib/instance/errors';

/**
 * The reading of a sharer's HTTP status, shared by every operation (shareinfo, public WebDAV,
 * createFederatedShare). Each operation first judges what only it can tell (its success, its own refusals), then asks
 * these two. What a status means for any server (throttled, broken) is errorForStatus's to say.
 */

/** Failures of the server itself, whatever was asked: unreachable (status 0), throttled, broken. */
export function serverFailure(status: number): InstanceError | undefined {
  if (status === 0) return new InstanceError('unreachable');
  const serversOwn = status === 429 || status >= 500;
  return serversOwn ? errorForStatus(status) : undefined;
}

/** The link is gone (404) or its password is missing or wrong (403). `sharer` names the sharer's server. */
export function linkFailure(status: number, sharer: string, passwordGiven: boolean): InstanceError | undefined {
  if (status === 404) return failWith('not-found', { code: 'link-gone', server: sharer }, 404);
  if (status === 403) return passwordFailure(status, passwordGiven);
  return undefined;
}

/** The link wants a password: none was given, or the one given is wrong. */
export function passwordFailure(status: number, passwordGiven: boolean): InstanceError {
  return failWith('rejected', { code: passwordGiven ? 'password-wrong' : 'password-needed' }, status);
}
