import type { ShareInfo } from '@/lib/sharer/shareinfo';
import type { ServerKind } from '@/lib/share/types';
import { PREPARATION_FRESH_MS } from '@/lib/timeouts';

/**
 * What the background found out while the confirmation window was open, so that after "Add" only the mount and
 * its verification remain. Every check here is a read that changes nothing on any server and tells the sharer
 * nothing about the user: the sharer's status.php and shareinfo without a password (asked from the share tab,
 * as the share page itself does), the user's own cloud's list of shares, and ownCloud's session request token.
 */
export interface Preparation {
  /** The account the checks of the user's cloud were made for. */
  accountId: string;
  /** When the checks were made. */
  at: number;
  /** The sharer's kind, from its own status.php. */
  sharerKind?: ServerKind;
  /** The sharer's word on the link, asked without a password: only for shares that need none. */
  shareInfo?: ShareInfo;
  /** The user's cloud held no copy of this share (mounted or pending) at `at`. */
  noCopy?: boolean;
  /** ownCloud 10: the request token of the browser's session on the user's cloud. */
  requestToken?: string;
}

/** The preparation, if it was made for this account and is recent enough to act on. */
export function usablePreparation(
  prepared: Preparation | null | undefined,
  accountId: string,
  now: number,
): Preparation | undefined {
  if (!prepared || prepared.accountId !== accountId) return undefined;
  if (now < prepared.at || now - prepared.at > PREPARATION_FRESH_MS) return undefined;
  return prepared;
}
