import { PRODUCT_NAME } from '../config';
import { allows, canRead, CREATE } from '../shares/permissions';
import type { Entry } from '../files/tree';
import { html, raw } from './escape';
import { CLOUD_ICON, guestPage, layout } from './layout';
import { formatSize } from './pages';

interface PublicPageModel {
  requestToken: string;
  token: string;
  shareUrl: string;
  /** Base of the page URL the visitor used (`/s/T` or `/index.php/s/T`), for links inside the page. */
  pagePath: string;
  isFolder: boolean;
  protectedByPassword: boolean;
  owner: { uid: string; displayName: string };
  name: string;
  mime: string;
  size: number;
  permissions: number;
  /** Current folder inside the share ("/" = share root). */
  dir: string;
  children: Entry[];
  federationOutgoing: boolean;
}

const enc = encodeURIComponent;

/**
 * The public link page in ownCloud 10's markup (captures/public-folder.html, public-file.html), so detectors and
 * ownCloud peers recognise it; the generator meta (in the layout) tells our extension it is the companion.
 */
export function publicSharePage(m: PublicPageModel): string {
  const downloadUrl = `${m.shareUrl}/download${m.isFolder && m.dir !== '/' ? `?path=${enc(m.dir)}` : ''}`;
  const readable = canRead(m.permissions);
  const fileDrop = m.isFolder && !readable;
  // Built from pieces so that no source line runs past 120 columns; the page is the same string.
  const ogTitle = html`<meta property="og:title" content="${PRODUCT_NAME}"/>`;
  const ogDescription = html`<meta property="og:description" content="${m.name} is publicly shared"/>`;
  const ogSite = html`<meta property="og:site_name" content="${PRODUCT_NAME}"/>`;
  const ogUrl = html`<meta property="og:url" content="${m.shareUrl}"/>`;
  const head = html`${ogTitle}${ogDescription}${ogSite}${ogUrl}<meta property="og:type" content="object"/>`;
  const rows = m.children.map((child) => {
    const childPath = `${m.dir === '/' ? '' : m.dir}/${child.name}`;
    const href = child.isDir
      ? `${m.pagePath}?path=${enc(childPath)}`
      : `${m.pagePath}/download?path=${enc(m.dir)}&files=${enc(child.name)}`;
    const type = child.isDir ? 'dir' : 'file';
    const attributes = html`data-id="${child.fileId}" data-type="${type}" data-file="${child.name}"`;
    const shownName = `${child.name}${child.isDir ? '/' : ''}`;
    const nameCell = html`<td class="filename"><a class="name" href="${href}">${shownName}</a></td>`;
    const sizeCell = html`<td class="filesize">${child.isDir ? '' : formatSize(child.size)}</td>`;
    const dateCell = html`<td class="date">${child.mtime.toUTCString()}</td>`;
    const row = html`<tr ${attributes} data-mime="${child.mime}" data-size="${child.size}">`;
    return html`${row}${nameCell}${sizeCell}${dateCell}</tr>`;
  });
  const protectedAttr = m.protectedByPassword ? 'true' : 'false';
  const headerClass = m.isFolder ? 'share-folder' : 'share-file';
  const saveData = html`data-owner="${m.owner.uid}" data-name="${m.name}"`;
  const saveButton =
    m.federationOutgoing && !fileDrop
      ? html`<span id="save" data-federation="on" data-protected="${protectedAttr}" ${saveData}></span>`
      : raw('');
  const downloadButton = readable
    ? html`<a href="${downloadUrl}" id="download" class="button"><span id="download-text">Download</span></a>`
    : raw('');
  const webdavUrl = `${m.shareUrl.replace(/\/s\/.*$/, '')}/public.php/webdav/`;
  const uploadHow = html`(file drop: upload with WebDAV to ${webdavUrl} using the link token as user name)`;
  const uploadHint = fileDrop
    ? html`<div id="public-upload"><p>Upload files to ${m.name} ${uploadHow}.</p></div>`
    : raw('');
  const uploadAllowed = allows(m.permissions, CREATE) ? 'yes' : 'no';
  const emptyFolder = m.children.length === 0 ? html`<div id="emptycontent"><h2>No files in here</h2></div>` : raw('');
  const columns = html`<thead><tr><th>Name</th><th>Size</th><th class="date">Modified</th></tr></thead>`;
  const listing = html`<tbody id="fileList">${rows}</tbody>`;
  const table = html`<table id="filestable" data-allow-public-upload="${uploadAllowed}">${columns}${listing}</table>`;
  const fileTable = m.isFolder && readable ? html`${table}${emptyFolder}` : raw('');
  const fileSummary = html`<div><span>${m.name}</span> (${formatSize(m.size)})</div>`;
  const downloadFile = html`<a href="${downloadUrl}" id="downloadFile" class="button">Download</a>`;
  const directDownload = !m.isFolder ? html`<div class="directDownload">${fileSummary}${downloadFile}</div>` : raw('');
  const body = html`<div id="notification-container"><div id="notification" hidden></div></div>
<input type="hidden" id="filesApp" name="filesApp" value="1">
<input type="hidden" id="isPublic" name="isPublic" value="1">
<input type="hidden" name="dir" value="${m.dir}" id="dir">
<input type="hidden" name="downloadURL" value="${downloadUrl}" id="downloadURL">
<input type="hidden" name="sharingToken" value="${m.token}" id="sharingToken">
<input type="hidden" name="filename" value="${m.name}" id="filename">
<input type="hidden" name="mimetype" value="${m.mime}" id="mimetype">
<input type="hidden" name="previewSupported" value="false" id="previewSupported">
<input type="hidden" name="previewEnabled" value="false" id="previewEnabled">
<input type="hidden" name="filesize" value="${m.size}" id="filesize">
<input type="hidden" name="sharePermission" value="${m.permissions}" id="sharePermission">
<header>
<div id="header" class="${headerClass}" data-protected="${protectedAttr}"
 data-owner-display-name="${m.owner.displayName}" data-owner="${m.owner.uid}" data-name="${m.name}">
<a href="/index.php" title="" id="owncloud-public">${CLOUD_ICON}<h1 class="logo-icon">${PRODUCT_NAME}</h1></a>
<div class="header-right"><span id="details">
${saveButton}
${downloadButton}
</span></div>
</div>
</header>
<div id="content-wrapper" class="page"><div id="content"><div id="preview">
<p class="shared-by">${m.name} · shared by ${m.owner.displayName}</p>
${uploadHint}
${fileTable}
${directDownload}
</div></div></div>`;
  return layout({ title: PRODUCT_NAME, requestToken: m.requestToken, bodyId: 'body-public', extraHead: head }, body);
}

/** The password form (captures/public-folder-pw-prompt.html): POST password + requesttoken to the same URL. */
export function publicPasswordPage(requestToken: string, wrong: string | undefined): string {
  return guestPage(
    { title: PRODUCT_NAME, requestToken },
    html`<h2>This link is protected</h2>
<p class="hint">Enter the password you were given with the link.</p>
<form method="post" autocapitalize="none">
<fieldset id="password-protected-share">
<p class="field"><label for="password" class="infield">Password</label>
<input type="hidden" name="requesttoken" value="${requestToken}"/>
<input type="password" name="password" id="password" placeholder="Password" value=""
 autocomplete="off" autocorrect="off" autofocus/></p>
</fieldset>
<div class="submit-wrap">${wrong ? html`<div class="warning" role="alert">${wrong}</div>` : raw('')}
<p class="actions"><button type="submit" id="password-submit" class="wide"><span>Proceed</span></button></p></div>
</form>`,
  );
}
