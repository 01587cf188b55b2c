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

/** Result of asking the sharer's server whether an SPA URL (oCIS / OpenCloud) really is a share. */
export type SpaConfirmation = { confirmed: true; isProtected: boolean } | { confirmed: false; reason: string };
