import { INSTANCE_REQUEST_MS } from '@/lib/timeouts';
import { errorForStatus, InstanceError } from './errors';

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/**
 * One request to a server: never with the browser's cookies (we must not ride on, or disturb, the user's
 * logged-in session), never following redirects silently to another origin, always with a timeout, and
 * every failure turned into an InstanceError.
 */
export async function request(url: string, options: HttpOptions = {}): Promise<Response> {
  const { method = 'GET', headers = {}, body, timeoutMs = INSTANCE_REQUEST_MS, fetchImpl = fetch } = options;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method,
      headers,
      body,
      credentials: 'omit',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as { name?: string } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new InstanceError('timeout');
    throw new InstanceError('unreachable');
  }
  // A redirect here means a moved server or a login page: both need the user, not a silent follow.
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    throw new InstanceError('rejected', undefined, response.status, { failure: 'redirected' });
  }
  return response;
}

/** Request + status check + JSON body. */
export async function requestJson(url: string, options: HttpOptions = {}): Promise<unknown> {
  const response = await request(url, options);
  const error = errorForStatus(response.status);
  const text = await response.text().catch(() => '');
  if (error) throw error;
  try {
    return JSON.parse(text);
  } catch {
    throw new InstanceError('bad-response', undefined, response.status);
  }
}
