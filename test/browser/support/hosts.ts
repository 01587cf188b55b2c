/**
 * The world's topology on one machine. The user's own instance listens on 127.0.0.1, the only host the e2e build
 * holds a permission for (wxt.config.ts). Everyone else's servers — the sharers — listen on 127.0.0.2: another
 * host for the browser, so no permission covers them, their cookies are their own and every request to them is
 * cross-origin, as with a real share link from someone else's cloud. Linux routes all of 127.0.0.0/8 to loopback.
 */
export const INSTANCE_HOST = '127.0.0.1';
export const SHARER_HOST = '127.0.0.2';
