import { PRODUCT_NAME } from '../config';
import { html, raw, type Raw } from './escape';
import { layout } from './layout';

const TITLES: Record<number, string> = { 404: 'File not found', 403: 'Access forbidden', 429: 'Too many requests' };

/** Error page shaped like ownCloud's (public-invalid-token: 404 "File not found" in a guest layout). */
export function errorPage(status: number, message: string): string {
  const title = TITLES[status] ?? 'Error';
  const hint = status === 404 ? 'The specified document has not been found on the server.' : message;
  return layout({ title: PRODUCT_NAME, bodyId: 'body-login' }, html`<div class="wrapper"><div class="v-align">
<header role="banner"><div id="header"><div class="logo"><h1 class="hidden-visually">${PRODUCT_NAME}</h1></div></div></header>
<ul><li class="error">${title}<br/><p class="hint">${hint}</p><p class="hint"><a href="/index.php">You can click here to return to ${PRODUCT_NAME}.</a></p></li></ul>
</div></div>`);
}

export function loginPage(opts: { requestToken: string; action: string; user?: string; error?: string; intro?: string }): string {
  return layout({ title: `Log in – ${PRODUCT_NAME}`, requestToken: opts.requestToken, bodyId: 'body-login' }, html`
<header role="banner"><div id="header"><h1>${PRODUCT_NAME}</h1></div></header>
<div class="wrapper">
${opts.intro ? html`<p>${opts.intro}</p>` : raw('')}
<form method="post" name="login" action="${opts.action}">
<fieldset>
<p><label for="user">Username</label><br><input type="text" name="user" id="user" value="${opts.user ?? ''}" autocomplete="username" autofocus required></p>
<p><label for="password">Password</label><br><input type="password" name="password" id="password" autocomplete="current-password" required></p>
<input type="hidden" name="requesttoken" value="${opts.requestToken}">
${opts.error ? html`<p class="warning" id="login-error">${opts.error}</p>` : raw('')}
<p><button type="submit" id="submit">Log in</button></p>
</fieldset>
</form>
</div>`);
}

export function grantPage(opts: { requestToken: string; loginToken: string; clientName: string; user: { uid: string; displayName: string } }): string {
  return layout({ title: `Connect to your account – ${PRODUCT_NAME}`, requestToken: opts.requestToken, bodyId: 'body-login', user: opts.user }, html`
<header role="banner"><div id="header"><h1>${PRODUCT_NAME}</h1></div></header>
<div class="wrapper">
<h2>Connect to your account</h2>
<p>Please log in before granting <strong id="client-name">${opts.clientName}</strong> access to your account <strong>${opts.user.displayName}</strong>.</p>
<p>If you are not trying to set up a new device or app, someone is trying to trick you into granting them access to your data. In this case do not proceed and instead contact your system administrator.</p>
<form method="post" action="/index.php/login/v2/grant">
<input type="hidden" name="requesttoken" value="${opts.requestToken}">
<input type="hidden" name="token" value="${opts.loginToken}">
<button type="submit" id="submit-grant">Grant access</button>
</form>
</div>`);
}

export function messagePage(title: string, message: string, requestToken?: string): string {
  return layout({ title: `${title} – ${PRODUCT_NAME}`, bodyId: 'body-login', requestToken }, html`
<header role="banner"><div id="header"><h1>${PRODUCT_NAME}</h1></div></header>
<div class="wrapper"><h2>${title}</h2><p id="message">${message}</p></div>`);
}

export interface FileRow {
  name: string;
  href: string;
  isDir: boolean;
  size: number;
  mtime: Date;
  mount?: string;
}

/** A link someone wants to add (from ownCloud's "Add to" redirect), shown for confirmation. */
export interface IncomingLink {
  remote: string;
  token: string;
  owner: string;
  ownerDisplayName: string;
  name: string;
  protectedByPassword: boolean;
}

function addShareForm(requestToken: string, link: IncomingLink): Raw {
  return html`<form id="add-remote-share" method="post" action="/index.php/apps/files/add-share">
<p id="add-remote-share-question">Do you want to add the federated share <strong>${link.name}</strong> from <strong>${link.owner}@${link.remote}</strong>?</p>
<input type="hidden" name="requesttoken" value="${requestToken}">
<input type="hidden" name="remote" value="${link.remote}"><input type="hidden" name="token" value="${link.token}">
<input type="hidden" name="owner" value="${link.owner}"><input type="hidden" name="ownerDisplayName" value="${link.ownerDisplayName}">
<input type="hidden" name="name" value="${link.name}">
${link.protectedByPassword ? html`<p><label for="remote-share-password">Federated share password</label> <input type="password" name="password" id="remote-share-password" required></p>` : raw('')}
<button type="submit" id="add-remote-share-submit">Add remote share</button> <a href="/index.php/apps/files/">Cancel</a>
</form>`;
}

export function filesPage(opts: { requestToken: string; user: { uid: string; displayName: string }; dir: string; rows: FileRow[]; crumbs: Raw; incoming?: IncomingLink; notice?: string; error?: string }): string {
  return layout({ title: `Files – ${PRODUCT_NAME}`, requestToken: opts.requestToken, bodyId: 'body-user', user: opts.user }, html`
<header><div id="header"><span>${PRODUCT_NAME}</span><span>${opts.user.displayName} · <a href="/index.php/logout?requesttoken=${encodeURIComponent(opts.requestToken)}" id="logout">Log out</a></span></div></header>
<main id="app-content-files">
${opts.incoming ? addShareForm(opts.requestToken, opts.incoming) : raw('')}
${opts.notice ? html`<p class="notice" id="notice">${opts.notice}</p>` : raw('')}
${opts.error ? html`<p class="warning" id="error">${opts.error}</p>` : raw('')}
<input type="hidden" id="dir" value="${opts.dir}">
<nav id="breadcrumbs">${opts.crumbs}</nav>
<table id="filestable"><thead><tr><th>Name</th><th>Size</th><th>Modified</th></tr></thead><tbody id="fileList">
${opts.rows.map((row) => html`<tr data-file="${row.name}" data-type="${row.isDir ? 'dir' : 'file'}"${row.mount ? html` data-mounttype="shared-root" data-remote="${row.mount}"` : raw('')}>
<td><a href="${row.href}">${row.name}${row.isDir ? '/' : ''}</a>${row.mount ? html` <small class="mount">(from ${row.mount})</small>` : raw('')}</td><td>${row.isDir ? '' : formatSize(row.size)}</td><td>${row.mtime.toISOString().slice(0, 16).replace('T', ' ')}</td></tr>`)}
</tbody></table>
${opts.rows.length === 0 ? html`<p id="emptycontent">No files in here</p>` : raw('')}
</main>`);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
