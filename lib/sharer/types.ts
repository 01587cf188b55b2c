/**
 * The fixed requests the extension may send to a sharer's server, and the raw answer each one gets. The background
 * picks an operation; whoever carries it (carrier.ts: the share tab, or the background itself) builds the request
 * from the share's own URL (perform.ts), so a message can never address another server or another share.
 */
export type SharerRequest =
  | { op: 'status' }
  | { op: 'tokeninfo'; token: string }
  /** oCIS / OpenCloud: PROPFIND on the link's public WebDAV (what tells a password link from an unknown one). */
  | { op: 'publicdav'; token: string; password: string; depth: 0 | 1 }
  | { op: 'shareinfo'; token: string; password: string }
  | { op: 'createFederatedShare'; token: string; shareWith: string; password: string };

/** A raw answer from the sharer; status 0 when the request itself failed. Each operation's module reads its own. */
export interface SharerAnswer {
  status: number;
  body: string;
}

/** Whoever carries the requests to the sharer (carrier.ts): the share tab, or the background itself. */
export interface Sharer {
  ask(request: SharerRequest): Promise<SharerAnswer>;
}

/** One built request: where it goes and how (perform.ts adds the timeout and sends it). */
export interface SharerCall {
  url: string;
  init: RequestInit;
  timeoutMs: number;
}

/**
 * Why an SPA URL was not confirmed, as a code. No one shows it to the user (the share page simply gets no button,
 * a context-menu link opens as it is); it is there for tests and for whoever debugs the background.
 */
export type SpaRefusal =
  /** No answer from the sharer's server. */
  | 'unreachable'
  /** An answer of no shape we know. */
  | 'bad-response'
  /** The server does not know the token (never was, deleted or expired). */
  | 'unknown-link'
  /** The server answered for another token. */
  | 'other-link'
  /** An internal link: it opens only for users logged in to its server, so no other server can read it. */
  | 'internal-link'
  /** The tab asking does not show a public share link. */
  | 'not-a-share'
  /** The check broke off (the tab was closed or left the share). */
  | 'check-failed';

/** Result of asking the sharer's server whether an SPA URL (oCIS / OpenCloud) really is a share. */
export type SpaConfirmation = { confirmed: true; isProtected: boolean } | { confirmed: false; reason: SpaRefusal };
