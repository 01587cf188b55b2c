/** Everything that can go wrong talking to a server, each with a message a person can act on. */
export type InstanceErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'server-error'
  | 'bad-response'
  | 'rejected';

const DEFAULT_MESSAGES: Record<InstanceErrorCode, string> = {
  unreachable: 'The server could not be reached. Check the address and your connection.',
  timeout: 'The server did not answer in time. Try again in a moment.',
  unauthorized: 'The server no longer accepts the app password (it may have been revoked). Reconnect this account.',
  forbidden: 'The server refused: this account is not allowed to do that.',
  'not-found': 'The server does not have what was asked for.',
  'server-error': 'The server had an internal error. Try again later.',
  'bad-response': 'The server answered with something unexpected.',
  rejected: 'The server refused the request.',
};

export class InstanceError extends Error {
  constructor(
    readonly code: InstanceErrorCode,
    message: string = DEFAULT_MESSAGES[code],
    readonly status?: number,
  ) {
    super(message);
    this.name = 'InstanceError';
  }
}

/** Maps an HTTP status to our error codes; undefined for success. */
export function errorForStatus(status: number): InstanceError | undefined {
  if (status < 400) return undefined;
  if (status === 401) return new InstanceError('unauthorized', undefined, status);
  if (status === 403) return new InstanceError('forbidden', undefined, status);
  if (status === 404) return new InstanceError('not-found', undefined, status);
  if (status >= 500) return new InstanceError('server-error', `The server had an internal error (HTTP ${status}). Try again later.`, status);
  return new InstanceError('rejected', `The server refused the request (HTTP ${status}).`, status);
}
