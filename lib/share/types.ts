/** The server families whose public share pages we recognise. */
export type ServerKind = 'owncloud' | 'nextcloud' | 'ocis' | 'companion';

/**
 * Which page generation was recognised. Finer than `kind`: the markup, the password page and the
 * "Add to" mechanics differ between generations (docs/protocols.md#share-pages).
 */
export type PageGeneration =
  | 'oc10-pre-10.8' // #save-button form generation
  | 'oc10' // 10.8+ (#save-to-oc-button is added by JS, so the static HTML looks the same as before)
  | 'nc-legacy' // Nextcloud ≤ 30: hidden inputs, #save-external-share menu
  | 'nc-vue' // Nextcloud 31+: initial-state inputs, public page menu
  | 'ocis-web' // oCIS / OpenCloud / ownCloud Web SPA (history routing)
  | 'ocis-hash' // old ownCloud Web (hash routing, #/s/TOKEN)
  | 'companion'; // our own companion server (ownCloud-10-style markup plus a generator marker)

/** Why the owner did not allow adding this share to another cloud. */
export type FederationBlock = 'file-drop' | 'hide-download' | 'federation-disabled';

/** What the URL alone tells: enough to decide "cannot be a share" without touching the DOM. */
export interface ShareUrl {
  origin: string;
  /** Sub-path install prefix without trailing slash, e.g. '' or '/owncloud'. */
  basePath: string;
  token: string;
  /** The URL uses the `/index.php/s/` form (servers without pretty URLs only serve that one). */
  viaIndexPhp: boolean;
  /**
   * 'share': `/s/TOKEN` (server-rendered page or SPA entry), 'authenticate': the password page,
   * 'spa-hash': `#/s/TOKEN`, 'spa-link': `/files/link/public/TOKEN`, 'spa-upload': `/files/upload/TOKEN` (file drop).
   */
  route: 'share' | 'authenticate' | 'spa-hash' | 'spa-link' | 'spa-upload';
}

/** A recognised public share page. Every string from the page is untrusted: render it as text only. */
export interface SharePage {
  kind: ServerKind;
  generation: PageGeneration;
  /** From the URL, never from the page. */
  origin: string;
  basePath: string;
  token: string;
  /** Canonical link: origin + basePath + ('/index.php' if the URL used it) + '/s/' + token. */
  shareUrl: string;
  /** Shown by the page (untrusted): file or folder name. */
  name?: string;
  owner?: string;
  ownerDisplayName?: string;
  /** Undefined where the page does not tell (password page, SPA). */
  isFolder?: boolean;
  /** This page is the password form. */
  passwordRequired: boolean;
  /** The share has a password (true on the password page, and on OC10 pages after authenticating). */
  isProtected: boolean;
  /** False for file drops, hide-download shares, or a sharer whose outgoing federation is off. */
  canFederate: boolean;
  federationBlockedReason?: FederationBlock;
  /**
   * SPA servers (oCIS) render the same index.html for every route: the URL only marks a candidate
   * that the background must confirm with the server before the button is offered.
   */
  needsServerConfirmation: boolean;
}
