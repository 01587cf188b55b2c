import type { ShareUrl } from './types';

/*
 * URL shapes of public share links (docs/protocols.md#share-urls). Runs on every page the browser visits: one regex on
 * the path, one on the hash, no DOM.
 *
 *   {base}[/index.php]/s/TOKEN[/]                     route 'share' (OC10, NC, companion; oCIS entry)
 *   {base}[/index.php]/s/TOKEN/authenticate[/NAME]    route 'authenticate' (OC10 password page; NC .../showShare)
 *   {base}/s/TOKEN/DRIVE-ALIAS...                     route 'share' (oCIS/Web SPA route; never with /index.php)
 *   {base}/files/link/public/TOKEN[/...]              route 'spa-link' (Web after resolving the link)
 *   {base}/files/upload/TOKEN[/...]                   route 'spa-upload' (Web file drop)
 *   {dir}/index.html#/s/TOKEN[/...]                   route 'spa-hash' (old Web hash routing; base: the page's dir)
 *
 * Rejected: `/s/TOKEN/download…` and `/s/TOKEN/preview…` (files, not pages), anything else below an
 * `/index.php/s/TOKEN/` (server-rendered sub-resources), tokens outside [A-Za-z0-9]{6,32}, non-http(s) URLs.
 */
const PATH = /^(.*?)(?:(\/index\.php)?\/s\/|\/files\/(link\/public|upload)\/)([A-Za-z0-9]{6,32})(\/.*)?$/;
const HASH = /^#\/s\/([A-Za-z0-9]{6,32})(?:[/?]|$)/;

export function parseShareUrl(url: string): ShareUrl | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol != 'https:' && u.protocol != 'http:') return null;
  const m = PATH.exec(u.pathname);
  let route: ShareUrl['route'] = 'share';
  if (m) {
    const rest = m[5] ?? '/';
    if (m[3]) route = m[3] == 'upload' ? 'spa-upload' : 'spa-link';
    else if (/^\/authenticate(\/[A-Za-z]+)?\/?$/.test(rest)) route = 'authenticate';
    else if (rest != '/' && (m[2] || /^\/(download|preview|authenticate)(\/|$)/.test(rest))) return null;
    return { origin: u.origin, basePath: m[1]!, token: m[4]!, viaIndexPhp: !!m[2], route };
  }
  const h = HASH.exec(u.hash);
  return h
    ? {
        origin: u.origin,
        basePath: u.pathname.replace(/\/[^/]*$/, ''),
        token: h[1]!,
        viaIndexPhp: false,
        route: 'spa-hash',
      }
    : null;
}

/**
 * The canonical link: origin + base path + ('/index.php' when the URL used it, some servers serve only that) + '/s/' +
 * token.
 */
export function canonicalShareUrl(u: ShareUrl): string {
  return u.origin + u.basePath + (u.viaIndexPhp ? '/index.php' : '') + '/s/' + u.token;
}
