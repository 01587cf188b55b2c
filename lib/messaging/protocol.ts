import { defineExtensionMessaging } from '@webext-core/messaging';
import type { MountOutcome } from '@/lib/mount/request';
import type { SharePage } from '@/lib/share/types';
import type { SharerAnswer, SharerRequest, SpaConfirmation } from '@/lib/sharer/types';
import type { ShareState } from '@/lib/history/state';

/**
 * Every message between the extension's parts, in one place. Names say who talks to whom:
 * content → background, popup → content, confirm page → background.
 *
 * The background never trusts share data sent by a content script: origin and token come from the
 * sender tab's URL, and page-provided fields (name, owner) travel only as claims that the UI shows as text.
 */

/** What the page claims about the share: untrusted, shown as text, never used to address a server. */
export interface PageClaims {
  kind: SharePage['kind'];
  name?: string;
  owner?: string;
  ownerDisplayName?: string;
  isFolder?: boolean;
  isProtected: boolean;
  canFederate: boolean;
  federationBlockedReason?: SharePage['federationBlockedReason'];
}

/** A confirmation the user asked for on a share tab, as the confirm page shows it. */
export interface PendingConfirmation {
  tabId: number;
  /** From the tab URL (trusted). */
  origin: string;
  basePath: string;
  shareUrl: string;
  /** From the page (untrusted). */
  claims: PageClaims;
  requestedAt: number;
  /**
   * Who carries the sharer requests (lib/sharer/carrier.ts): the share tab (default), or the background
   * itself for a link added from the context menu, where `tabId` is a confirmation id and no tab.
   */
  via?: 'tab' | 'direct';
}

/**
 * Why no confirmation was opened, as a code (lib/confirm/pending.ts decides it). The popup says it in words
 * (components/PopupView.tsx); the page's button only says that it failed.
 */
export type PendingRefusal = 'not-a-tab' | 'not-a-share' | 'not-allowed';

/** The answer to a request for a confirmation window. */
export type ConfirmationOpened = { opened: true } | { opened: false; error: PendingRefusal };

/** An account as pages may see it: never the app password. */
export interface AccountSummary {
  id: string;
  label: string;
  baseUrl: string;
  kind: SharePage['kind'];
  cloudId: string;
}

export interface ProtocolMap {
  /** content → background: the user clicked "Add to your cloud" (trusted click) on this tab. */
  'content:requestConfirmation'(claims: PageClaims): ConfirmationOpened;
  /** content → background: is this SPA URL (oCIS) a real share? Asked before the button is offered. */
  'content:confirmSpaShare'(): SpaConfirmation;
  /** popup → content: what share, if any, is on this page right now. */
  'popup:getPageShare'(): SharePage | null;
  /** popup → background: open the confirmation for the share on this tab. */
  'popup:requestConfirmation'(data: { tabId: number; claims: PageClaims }): ConfirmationOpened;
  /** confirm page → background: the pending confirmation for a tab. */
  'confirm:get'(data: { tabId: number }): PendingConfirmation | null;
  /** confirm page → background: the accounts to choose from, default first. */
  'confirm:accounts'(): AccountSummary[];
  /**
   * confirm page → background: the window is open with this account chosen; check (read-only) and prepare what the
   * add will need, so that after "Add" only the mount remains.
   */
  'confirm:prepare'(data: { tabId: number; accountId: string }): void;
  /** confirm page → background: the user confirmed; add the share to this account. */
  'confirm:add'(data: { tabId: number; accountId: string; password: string }): MountOutcome;
  /** content → background: is the share of this tab (by its URL) in the user's cloud? Answered from the history. */
  'content:shareState'(): ShareState;
  /** content → background: open the user's cloud at the folder where the share of this tab was added. */
  'content:openInCloud'(): { opened: boolean };
  /** background → share tab: a share was just added from this tab; the button asks for its state again. */
  'background:shareStateChanged'(): void;
  /** background → share tab: one fixed request to the sharer's own origin. */
  'background:sharerRequest'(data: SharerRequest): SharerAnswer;
}

const messaging = defineExtensionMessaging<ProtocolMap>();
export const { sendMessage, onMessage } = messaging;
