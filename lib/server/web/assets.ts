import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { Routes } from '../http/router';
import { ASSET_MAX_AGE_S } from '../timeouts';
import { ADD_SHARE_SCRIPT } from '../views/add-share-script';
import { FAVICON_PATH, STYLESHEET_PATH } from '../views/layout';

// The only script and the only stylesheet our pages load, from our own origin: the CSP allows nothing inline
// (script-src 'self'; style-src 'self'), so an escaping bug cannot inject code or restyle a page into a fake dialog.

const STYLESHEET = readFileSync(new URL('../views/companion.css', import.meta.url), 'utf8');
/** The extension's own icon, so a tab of the companion shows the product it belongs to. */
const FAVICON = readFileSync(new URL('../../../public/icon/32.png', import.meta.url));

function sendAsset(res: ServerResponse, type: string, body: string | Buffer): void {
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': `public, max-age=${ASSET_MAX_AGE_S}`,
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

export function registerAssets(routes: Routes): void {
  routes.on('GET', '/core/js/add-share.js', 'html', ({ res }) =>
    sendAsset(res, 'application/javascript; charset=utf-8', ADD_SHARE_SCRIPT),
  );
  routes.on('GET', STYLESHEET_PATH, 'html', ({ res }) => sendAsset(res, 'text/css; charset=utf-8', STYLESHEET));
  routes.on('GET', [FAVICON_PATH, '/favicon.ico'], 'html', ({ res }) => sendAsset(res, 'image/png', FAVICON));
}
