import { html, raw, type Raw } from './escape';

export interface LayoutOptions {
  title: string;
  requestToken?: string;
  bodyId: 'body-login' | 'body-public' | 'body-user';
  user?: { uid: string; displayName: string };
  extraHead?: Raw;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;color:#222}#header{background:#041e42;color:#fff;padding:10px 16px;display:flex;align-items:center;justify-content:space-between}
#header a{color:#fff}main,.wrapper{max-width:900px;margin:24px auto;padding:0 16px}table{border-collapse:collapse;width:100%}td,th{padding:6px;border-bottom:1px solid #ddd;text-align:left}
.warning{color:#b00}.button,button{padding:6px 12px}fieldset{border:0;padding:0}input[type=text],input[type=password]{padding:6px;width:260px}`;

/** The frame every page shares. Like ownCloud it carries the CSRF token in <head data-requesttoken>; the generator
 * meta tells our extension's detector that this is the companion server and not a real ownCloud. */
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
<meta name="viewport" content="width=device-width, minimum-scale=1.0, maximum-scale=1.0">
<style>${raw(STYLE)}</style>
<script src="/core/js/add-share.js" defer></script>
${options.extraHead ?? raw('')}
</head>
<body id="${options.bodyId}">
${body}
</body>
</html>
`.html;
}
