/**
 * Every time limit and waiting time of the extension, in one place, each with the reason for its value. Milliseconds.
 * (The companion server has its own, in lib/server/.)
 */

// Requests to the user's own cloud (lib/instance/http.ts).

/** Any call to the user's cloud without a limit of its own: an OCS call or a mount can take the server a while. */
export const INSTANCE_REQUEST_MS = 15_000;
/**
 * status.php while connecting and in the diagnostics: a tiny static answer; a server that needs longer is not usable.
 */
export const STATUS_CHECK_MS = 10_000;
/** ownCloud 10's Files page, read for the session's request token: a whole HTML page, rendered by PHP. */
export const OWNCLOUD_SESSION_PAGE_MS = 10_000;

// Requests to the sharer's server (lib/sharer/, from the share tab or the background).

/** tokeninfo: one small JSON answer; it decides whether the share page gets its button, so the user is waiting. */
export const SHARER_TOKENINFO_MS = 5000;
/** status.php of the sharer: small and static, but the first request, which may open the connection. */
export const SHARER_STATUS_MS = 8000;
/** The link's public WebDAV (PROPFIND Depth 0 or 1): a small listing. */
export const SHARER_PUBLIC_DAV_MS = 8000;
/** shareinfo: the sharer checks the password (deliberately slow hashing) before it answers. */
export const SHARER_SHAREINFO_MS = 10_000;
/** createFederatedShare: the sharer contacts the user's cloud (OCM discovery, then the share) before it answers. */
export const SHARER_CREATE_FEDERATED_SHARE_MS = 15_000;

// Waiting for a federated share to arrive (lib/mount/arrival.ts).

/** How often the instance is asked: the sharer has already answered, the share is usually there at the first look. */
export const ARRIVAL_POLLS = 10;
/** Between two looks: 10 × 500 ms = 5 s in all, longer than servers take to deliver, short for a user who waits. */
export const ARRIVAL_INTERVAL_MS = 500;

// Login Flow v2 (lib/instance/login-flow.ts).

/** Polling while the user signs in in the other tab: quick enough to feel immediate, few enough requests. */
export const LOGIN_POLL_INTERVAL_MS = 2000;
/** Login Flow v2 tokens live 20 minutes on the server: polling longer cannot succeed. */
export const LOGIN_FLOW_MS = 20 * 60 * 1000;

// The confirmation (lib/confirm/, lib/background/add-share.ts).

/** A confirmation stays valid this long after the click that asked for it; then the user clicks again. */
export const CONFIRMATION_TTL_MS = 10 * 60 * 1000;
/**
 * How long the instance check stays trusted. Shares do not appear on their own in a minute or two, but the user may
 * have added this one in another window meanwhile; after that it is asked again (two cheap reads).
 */
export const PREPARATION_FRESH_MS = 2 * 60 * 1000;
/**
 * How long a share the sharer was asked for is awaited by a retry instead of asking again: longer than the arrival
 * wait (5 s) and than a stopped MV3 worker takes to restart, short enough that a share that never came is asked again.
 */
export const SHARER_ASKED_VALID_MS = 60_000;

// The always-on detector (entrypoints/detector.ts).

/** Where the Navigation API is missing (Firefox ESR), the URL is compared once a second: cheap, and soon enough. */
export const URL_POLL_MS = 1000;
