import type { ServerKind } from '@/lib/share/types';

/**
 * The vocabulary of `GET /status.php`, read by the extension. The companion server writes the same product name
 * itself (PRODUCT_NAME in lib/server/config.ts; test/unit/server/product-name.test.ts fails if the two differ), but
 * the import rules would let it take this module in, so it imports nothing but a type. Reading an answer:
 * status-php.ts.
 */

/** The companion says so in status.php's `product`, which it never rebrands. */
export const COMPANION_PRODUCT = 'Add to Cloud companion';

export interface ServerStatus {
  kind: ServerKind;
  /** e.g. '10.15.2', '31.0.4'; '' when the server hides its version. */
  version: string;
  productName: string;
  maintenance: boolean;
}

/** Why an answer is no cloud: a problem code (lib/problem.ts) about the server asked. */
export type StatusResult = { ok: true; status: ServerStatus } | { ok: false; reason: 'not-a-cloud' | 'not-installed' };
