/**
 * Match patterns for links that may be share links (the context menu's `targetUrlPatterns`), one per URL shape of
 * url.ts: `/s/TOKEN` at the root or below any path (`/index.php/s/`, sub-path installs, oCIS), and Web's
 * `/files/link/public/TOKEN` and `/files/upload/TOKEN`. A coarse filter only: the click is judged by
 * parseShareUrl. Old Web's hash route (`#/s/TOKEN`) cannot be matched (patterns never see the fragment).
 */
export const SHARE_LINK_PATTERNS: readonly string[] = [
  '*://*/s/*',
  '*://*/*/s/*',
  '*://*/files/link/public/*',
  '*://*/*/files/link/public/*',
  '*://*/files/upload/*',
  '*://*/*/files/upload/*',
];
