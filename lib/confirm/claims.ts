import type { PageClaims } from '@/lib/messaging/protocol';
import type { SharePage } from '@/lib/share/types';

/** The part of a detected share that only the page vouches for; origin and token are re-derived from the tab URL. */
export function claimsFromShare(share: SharePage): PageClaims {
  return {
    kind: share.kind,
    name: share.name,
    owner: share.owner,
    ownerDisplayName: share.ownerDisplayName,
    isFolder: share.isFolder,
    isProtected: share.isProtected,
    canFederate: share.canFederate,
    federationBlockedReason: share.federationBlockedReason,
  };
}
