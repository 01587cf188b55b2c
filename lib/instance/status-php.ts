import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';
import type { ServerKind } from '@/lib/share/types';
import { COMPANION_PRODUCT, type StatusResult } from './server-status';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * What every cloud's status.php has: `installed`, `version` and `versionstring`. The other fields are told apart by
 * their presence (the shape decides the family), so the whole object is kept.
 */
const StatusAnswer = v.looseObject({ installed: v.boolean(), version: v.unknown(), versionstring: v.unknown() });

/**
 * Tells the server family from `GET /status.php` (docs/protocols.md#server-status). Product names can be rebranded by
 * theming, so the decision rests on the *shape* of the answer: Nextcloud alone has `extendedSupport`,
 * oCIS/OpenCloud alone `productversion`, ownCloud 10 has `product` and neither. Our companion says so in
 * `product` (COMPANION_PRODUCT), which it never rebrands.
 */
export function classifyStatus(body: unknown): StatusResult {
  const s = Array.isArray(body) ? undefined : readAnswer(StatusAnswer, body);
  if (!s) return { ok: false, reason: 'not-a-cloud' };
  if (!s.installed) return { ok: false, reason: 'not-installed' };

  const product = str(s.product);
  let kind: ServerKind;
  if (product === COMPANION_PRODUCT) kind = 'companion';
  else if ('extendedSupport' in s) kind = 'nextcloud';
  else if ('productversion' in s) kind = 'ocis';
  else kind = 'owncloud';

  // The companion's ownCloud-shaped version fields are for ownCloud peers; its own release is `companionVersion`.
  const version = (kind === 'companion' && str(s.companionVersion)) || str(s.productversion) || str(s.versionstring);
  const fallbackName = {
    owncloud: 'ownCloud',
    nextcloud: 'Nextcloud',
    ocis: 'Infinite Scale',
    companion: COMPANION_PRODUCT,
  }[kind];
  return {
    ok: true,
    status: {
      kind,
      version,
      productName: str(s.productname) || product || fallbackName,
      maintenance: s.maintenance === true,
    },
  };
}
