import { classifyStatus } from '@/lib/instance/status-php';
import type { ServerKind, ShareUrl } from '@/lib/share/types';
import { SHARER_STATUS_MS } from '@/lib/timeouts';
import type { SharerAnswer, SharerCall } from './types';

/**
 * `GET {base}/status.php` of the sharer, without cookies: which server family it is (docs/protocols.md#server-status).
 */
export function statusCall(url: ShareUrl): SharerCall {
  return { url: `${url.origin}${url.basePath}/status.php`, init: { credentials: 'omit' }, timeoutMs: SHARER_STATUS_MS };
}

/** The sharer's family from its status.php answer; undefined when the answer is no (installed) cloud's. */
export function sharerKindOf(answer: SharerAnswer): ServerKind | undefined {
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return undefined;
  }
  const result = classifyStatus(body);
  return result.ok ? result.status.kind : undefined;
}
