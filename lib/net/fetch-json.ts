/** Errors that tell the user what happened, in words, instead of a raw fetch failure. */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface FetchJsonOptions {
  timeoutMs?: number;
  headers?: Record<string, string>;
  fetchImpl?: typeof fetch;
}

/**
 * GET a JSON document without cookies (we never ride on the user's browser session) and with a timeout,
 * so a slow or silent server becomes a clear error instead of a spinner that never ends.
 */
export async function fetchJson(url: string, options: FetchJsonOptions = {}): Promise<unknown> {
  const { timeoutMs = 8000, headers = {}, fetchImpl = fetch } = options;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      credentials: 'omit',
      redirect: 'error',
      headers: { Accept: 'application/json', 'OCS-APIRequest': 'true', ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new FetchError(timedOut ? 'The server did not answer in time.' : 'The server could not be reached.');
  }
  if (!response.ok) throw new FetchError(`The server answered with HTTP ${response.status}.`, response.status);
  try {
    return await response.json();
  } catch {
    throw new FetchError('The server answered with something that is not JSON.', response.status);
  }
}
