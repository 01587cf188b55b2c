import { COMPANION_VERSION, PRODUCT_NAME } from '../config';
import { html, raw, type Raw } from './escape';

interface LayoutOptions {
  title: string;
  requestToken?: string;
  bodyId: 'body-login' | 'body-public' | 'body-user';
  user?: { uid: string; displayName: string };
  extraHead?: Raw;
}

/** Where the one stylesheet is served (web/assets.ts); the version makes a new release reload it. */
export const STYLESHEET_PATH = '/core/css/companion.css';
export const FAVICON_PATH = '/core/img/favicon.png';

/** The extension's cloud-with-a-plus (components/CloudIcon.tsx), drawn in the accent colour by the stylesheet. */
const CLOUD_PATH =
  'M19.4 10.1A7 7 0 0 0 6.3 8.2 5.5 5.5 0 0 0 6.5 19H19a4.5 4.5 0 0 0 .4-8.9ZM16 14.5h-3v3h-2v-3H8v-2h3v-3h2v3h3Z';
export const CLOUD_ICON = raw(
  '<svg class="brand-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
    `<path fill="currentColor" d="${CLOUD_PATH}"/></svg>`,
);

/** The product's name with its icon, linking home; `heading` makes it the page's h1 (guest pages). */
export function brand(heading = false): Raw {
  const name = heading
    ? html`<h1 class="brand-name">${PRODUCT_NAME}</h1>`
    : html`<span class="brand-name">${PRODUCT_NAME}</span>`;
  return html`<a class="brand" href="/index.php">${CLOUD_ICON}${name}</a>`;
}

/**
 * The frame every page shares. Like ownCloud it carries the CSRF token in <head data-requesttoken>; the generator
 * meta tells our extension's detector that this is the companion server and not a real ownCloud. Styles come only
 * from the stylesheet and scripts only from /core/js (CSP: style-src 'self', script-src 'self').
 */
export function layout(options: LayoutOptions, body: Raw): string {
  const userAttrs = options.user
    ? html` data-user="${options.user.uid}" data-user-displayname="${options.user.displayName}"`
    : raw('');
  return html`<!DOCTYPE html>
<html class="ng-csp" data-placeholder-focus="false" lang="en" translate="no">
<head data-requesttoken="${options.requestToken ?? ''}"${userAttrs}>
<meta charset="utf-8">
<title>${options.title}</title>
<meta name="generator" content="add-to-cloud-server">
<meta name="referrer" content="never">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="stylesheet" href="${STYLESHEET_PATH}?v=${COMPANION_VERSION}">
<link rel="icon" href="${FAVICON_PATH}">
<script src="/core/js/add-share.js" defer></script>
${options.extraHead ?? raw('')}
</head>
<body id="${options.bodyId}">
${body}
</body>
</html>
`.html;
}

/** A guest page (login, grant, messages, errors, link password): the product bar and one card. */
export function guestPage(options: Omit<LayoutOptions, 'bodyId'>, card: Raw): string {
  return layout(
    { ...options, bodyId: 'body-login' },
    html`<header role="banner"><div id="header">${brand(true)}</div></header>
<main class="card">
${card}
</main>`,
  );
}
