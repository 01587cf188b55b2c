import type { PageClaims } from '@/lib/messaging/protocol';
import { InstanceError } from '@/lib/instance/errors';
import type { ShareUrl } from '@/lib/share/types';
import { confirmSpaLink } from '@/lib/sharer/confirm-spa';
import { interpretShareInfo } from '@/lib/sharer/shareinfo';
import { serverFailure } from '@/lib/sharer/failure';
import { sharerKindOf } from '@/lib/sharer/status';
import type { SharerAnswer, SharerRequest } from '@/lib/sharer/types';

/** Why a link was not confirmed, as a code (the caller decides what the user sees). */
export type LinkRefusal = 'unreachable' | 'not-a-cloud' | 'unknown-link';
export type LinkVerdict = { ok: true; claims: PageClaims } | { ok: false; why: LinkRefusal };

/**
 * A link from somewhere else (a context menu on any page): no share page vouches for anything, so everything the
 * confirmation shows comes from the sharer's own server, asked with the same fixed requests as the page flow:
 * `status.php` names the family; oCIS confirms the token with `tokeninfo`; the others answer `shareinfo` (without
 * a password: 403 means the link is protected, 404 that it is gone). Pure: the requests go through `ask`.
 */
export async function verifyLinkWithSharer(
  url: ShareUrl,
  ask: (request: SharerRequest) => Promise<SharerAnswer>,
): Promise<LinkVerdict> {
  const status = await ask({ op: 'status' });
  if (serverFailure(status.status)?.code === 'unreachable') return { ok: false, why: 'unreachable' };
  const family = sharerKindOf(status);
  if (!family) return { ok: false, why: 'not-a-cloud' };

  if (family === 'ocis') {
    const confirmation = await confirmSpaLink(ask, url.token);
    if (!confirmation.confirmed)
      return { ok: false, why: confirmation.reason === 'unreachable' ? 'unreachable' : 'unknown-link' };
    return { ok: true, claims: { kind: family, isProtected: confirmation.isProtected, canFederate: true } };
  }
  try {
    const info = interpretShareInfo(await ask({ op: 'shareinfo', token: url.token, password: '' }), false, url.origin);
    return {
      ok: true,
      claims: { kind: family, name: info.name, isFolder: info.isFolder, isProtected: false, canFederate: true },
    };
  } catch (error) {
    // The link exists and wants its password, which the confirmation asks for.
    if (error instanceof InstanceError && error.problem?.code === 'password-needed')
      return { ok: true, claims: { kind: family, isProtected: true, canFederate: true } };
    return {
      ok: false,
      why: error instanceof InstanceError && error.code === 'unreachable' ? 'unreachable' : 'unknown-link',
    };
  }
}
