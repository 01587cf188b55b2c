import { PRODUCT_NAME } from '../config';
import { html, raw, type Raw } from './escape';
import { brand, guestPage, layout } from './layout';

const TITLES: Record<number, string> = { 404: 'File not found', 403: 'Access forbidden', 429: 'Too many requests' };

/** Error page shaped like ownCloud's (public-invalid-token: 404 "File not found" in a guest layout). */
export function errorPage(status: number, message: string): string {
  const title = TITLES[status] ?? 'Error';
  const hint = status === 404 ? 'The specified document has not been found on the server.' : message;
  return guestPage(
    { title: PRODUCT_NAME },
    html`<ul class="error-list"><li class="error">${title}</li></ul>
<p class="hint">${hint}</p>
<p><a href="/index.php">You can click here to return to ${PRODUCT_NAME}.</a></p>`,
  );
}

export function loginPage(opts: {
  requestToken: string;
  action: string;
  user?: string;
  error?: string;
  intro?: Raw;
}): string {
  return guestPage(
    { title: `Log in – ${PRODUCT_NAME}`, requestToken: opts.requestToken },
    html`
<h2>Log in</h2>
${opts.intro ? html`<p id="login-intro">${opts.intro}</p>` : raw('')}
<form method="post" name="login" action="${opts.action}">
<fieldset>
<p class="field"><label for="user">Username</label><input type="text" name="user" id="user" value="${opts.user ?? ''}"
 autocomplete="username" autocapitalize="none" spellcheck="false" autofocus required></p>
<p class="field"><label for="password">Password</label><input type="password" name="password" id="password"
 autocomplete="current-password" required></p>
<input type="hidden" name="requesttoken" value="${opts.requestToken}">
${opts.error ? html`<p class="warning" id="login-error" role="alert">${opts.error}</p>` : raw('')}
<p class="actions"><button type="submit" id="submit" class="wide">Log in</button></p>
</fieldset>
</form>`,
  );
}

const PHISHING_WARNING =
  'If you are not trying to set up a new device or app, someone is trying to trick you into granting them access ' +
  'to your data. In this case do not proceed and instead contact your system administrator.';

/**
 * Login Flow v2's last step for a logged-in user: who is logged in (with a way out if that is someone else), which
 * client asks, and one button. Never "please log in" to someone who already is.
 */
export function grantPage(opts: {
  requestToken: string;
  loginToken: string;
  clientName: string;
  user: { uid: string; displayName: string };
  logoutUrl: string;
}): string {
  const who =
    opts.user.displayName === opts.user.uid
      ? html`<strong>${opts.user.displayName}</strong>`
      : html`<strong>${opts.user.displayName}</strong> (${opts.user.uid})`;
  const logout = html`<a href="${opts.logoutUrl}" id="logout">Not you? Log out</a>`;
  return guestPage(
    { title: `Connect to your account – ${PRODUCT_NAME}`, requestToken: opts.requestToken, user: opts.user },
    html`
<h2>Connect to your account</h2>
<p class="signed-in" id="signed-in">Logged in as ${who} · ${logout}</p>
<p>You are about to grant <strong id="client-name">${opts.clientName}</strong> access to your account.</p>
<p class="hint">${PHISHING_WARNING}</p>
<form method="post" action="/index.php/login/v2/grant">
<input type="hidden" name="requesttoken" value="${opts.requestToken}">
<input type="hidden" name="token" value="${opts.loginToken}">
<p class="actions"><button type="submit" id="submit-grant" class="wide">Grant access</button></p>
</form>`,
  );
}

export function messagePage(title: string, message: string, requestToken?: string): string {
  return guestPage(
    { title: `${title} – ${PRODUCT_NAME}`, requestToken },
    html`<h2>${title}</h2><p id="message">${message}</p>`,
  );
}

interface FileRow {
  name: string;
  href: string;
  isDir: boolean;
  size: number;
  mtime: Date;
  mount?: string;
}

/** A link someone wants to add (from ownCloud's "Add to" redirect), shown for confirmation. */
interface IncomingLink {
  remote: string;
  token: string;
  owner: string;
  ownerDisplayName: string;
  name: string;
  protectedByPassword: boolean;
}

function addShareForm(requestToken: string, link: IncomingLink): Raw {
  const from = html`<strong>${link.owner}@${link.remote}</strong>`;
  const passwordLabel = html`<label for="remote-share-password">Federated share password</label>`;
  const passwordInput = html`<input type="password" name="password" id="remote-share-password" required>`;
  const passwordField = link.protectedByPassword
    ? html`<p class="field">${passwordLabel}${passwordInput}</p>`
    : raw('');
  const cancel = html`<a href="/index.php/apps/files/">Cancel</a>`;
  return html`<form id="add-remote-share" method="post" action="/index.php/apps/files/add-share">
<p id="add-remote-share-question">Do you want to add the federated share <strong>${link.name}</strong> from ${from}?</p>
<input type="hidden" name="requesttoken" value="${requestToken}">
<input type="hidden" name="remote" value="${link.remote}"><input type="hidden" name="token" value="${link.token}">
<input type="hidden" name="owner" value="${link.owner}"><input type="hidden" name="ownerDisplayName"
 value="${link.ownerDisplayName}">
<input type="hidden" name="name" value="${link.name}">
${passwordField}
<p class="actions"><button type="submit" id="add-remote-share-submit">Add remote share</button> ${cancel}</p>
</form>`;
}

const FILE_COLUMNS = raw('<thead><tr><th>Name</th><th>Size</th><th class="date">Modified</th></tr></thead>');

function fileRow(row: FileRow): Raw {
  const mountData = row.mount ? html` data-mounttype="shared-root" data-remote="${row.mount}"` : raw('');
  const mountNote = row.mount ? html` <small class="mount">(from ${row.mount})</small>` : raw('');
  const nameCell = html`<td><a href="${row.href}">${row.name}${row.isDir ? '/' : ''}</a>${mountNote}</td>`;
  const modified = row.mtime.toISOString().slice(0, 16).replace('T', ' ');
  return html`<tr data-file="${row.name}" data-type="${row.isDir ? 'dir' : 'file'}"${mountData}>
${nameCell}<td>${row.isDir ? '' : formatSize(row.size)}</td><td class="date">${modified}</td></tr>`;
}

export function filesPage(opts: {
  requestToken: string;
  user: { uid: string; displayName: string };
  dir: string;
  rows: FileRow[];
  crumbs: Raw;
  incoming?: IncomingLink;
  notice?: string;
  error?: string;
}): string {
  const logoutUrl = `/index.php/logout?requesttoken=${encodeURIComponent(opts.requestToken)}`;
  const userName = html`<span id="user-name">${opts.user.displayName}</span>`;
  const account = html`${userName} · <a href="${logoutUrl}" id="logout">Log out</a>`;
  return layout(
    { title: `Files – ${PRODUCT_NAME}`, requestToken: opts.requestToken, bodyId: 'body-user', user: opts.user },
    html`
<header><div id="header">${brand()}<span class="account">${account}</span></div></header>
<main id="app-content-files" class="page">
${opts.incoming ? addShareForm(opts.requestToken, opts.incoming) : raw('')}
${opts.notice ? html`<p class="notice" id="notice" role="status">${opts.notice}</p>` : raw('')}
${opts.error ? html`<p class="warning" id="error" role="alert">${opts.error}</p>` : raw('')}
<input type="hidden" id="dir" value="${opts.dir}">
<nav id="breadcrumbs" aria-label="Folder">${opts.crumbs}</nav>
<table id="filestable">${FILE_COLUMNS}<tbody id="fileList">
${opts.rows.map(fileRow)}
</tbody></table>
${opts.rows.length === 0 ? html`<p id="emptycontent">No files in here</p>` : raw('')}
</main>`,
  );
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
