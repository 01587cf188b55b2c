import { PERMISSION_READ } from '@/lib/permissions';
import type { FederationBlock, PageGeneration, ServerKind, SharePage, ShareUrl } from './types';
import { canonicalShareUrl, parseShareUrl } from './url';

/*
 * Share-page detector: pure (no network, no extension APIs), never throws. Rules (docs/protocols.md#share-pages):
 *
 * 0. The URL decides first (parseShareUrl): not a share URL → null without touching the DOM. Origin, base path
 *    and token always come from the URL; the page only adds untrusted text (name, owner) and flags.
 * 1. Token claims: every `#sharingToken` input and every `files_sharing-sharingToken` initial state on the
 *    page must equal the URL token, else null (a page cannot describe a share its URL does not carry).
 * 2. Server-rendered pages (OC10, NC, companion) need the core layout marker `<head data-requesttoken>`
 *    (every OC/NC layout has it; user content in a page body cannot put attributes on <head>), on route
 *    'share' or 'authenticate' only.
 *    - Share page (route 'share'): `<body id="body-public">` (public layout) plus
 *      · NC 31+: initial state `files_sharing-isPublic` = true and `files_sharing-sharingToken` = token;
 *      · else OC10 / NC ≤30 / companion: `input#isPublic[type=hidden][value="1"]` and `input#sharingToken`.
 *      NC ≤30 is told from OC10 by `#sharingUserId`, `#hideDownload` or `#save-external-share`; the companion by
 *      `<meta name="generator" content="add-to-cloud-server">` in <head>.
 *    - Password page (route 'authenticate'): NC 31+ `#initial-state-core-publicShareAuth`; NC ≤30
 *      `input#sharingToken` + `input#password`; OC10 / companion `#password-protected-share` + `input#password`
 *      (no token on the page). passwordRequired = isProtected = true, canFederate true (password asked later).
 * 3. Federation ("Add to" allowed by the sharer):
 *    - OC10 / companion (the companion emits `<span id="save">` exactly when allowed, see markers.md): on iff
 *      `#save` exists (the rendered button, 10.8+ `#save-to-oc-button`, before 10.8
 *      `#save-button`) or a script `…federatedfilesharing/js/public.js` is referenced: ownCloud loads that
 *      script only when outgoing server-to-server sharing is enabled (the 10.15.2 captures reference it in the
 *      static HTML; the rendered DOM then holds #save). File drop: `#sharePermission` without the READ bit
 *      (4 = create only; OC10 then renders no #details, so its own button never appears either).
 *    - NC ≤30: `#upload-only-interface` or permissions without READ → 'file-drop'; `#hideDownload` "true" →
 *      'hide-download'; else `#save-external-share` absent → 'federation-disabled'.
 *    - NC 31+: view 'public-file-drop' (or sharePermissions without READ) → 'file-drop'; public-page-menu
 *      without an `id: "save"` entry → 'hide-download' when a `files_sharing-hideDownload` state is true,
 *      otherwise 'federation-disabled' (the page does not say which).
 *    Broken base64/JSON in an initial state reads as absent: a broken token or isPublic state → null, a
 *    broken menu → no "save" entry → not offered, a broken name/view → those fields stay undefined.
 * 4. oCIS / OpenCloud / ownCloud Web (SPA: same index.html on every route): no `head[data-requesttoken]`, the
 *    Web app root as a child of <body> (`<div id="owncloud">`; OpenCloud mounts `#opencloud`), and a Web
 *    runtime script: a src containing `require.js` / `web-runtime`, or the inline bootstrap that defines
 *    `runtimeLoaded` (the runtime calls `window.runtimeLoaded(...)`). Vue 3 keeps the root element when it
 *    mounts, so this also holds after rendering. Any route but 'authenticate'. kind 'ocis',
 *    needsServerConfirmation (the background asks tokeninfo), name unknown; 'spa-upload' → file drop.
 *    A generic React/Vue site (`#root`, `#app`, its own bundles) never matches.
 */

type Fields = Partial<SharePage>;
const FOLDER = 'httpd/unix-directory';

/** Rules 0 and 1, then the generations in turn (rules 2–4); a page that matches none is no share page. */
export function detectSharePage(url: string, doc: Document): SharePage | null {
  const u = parseShareUrl(url);
  if (!u) return null;
  try {
    if (!tokensMatch(u, doc)) return null;
    if (!doc.querySelector('head[data-requesttoken]')) return ocisPage(u, doc);
    if (u.route == 'authenticate') return passwordPage(u, doc);
    if (u.route != 'share' || doc.body?.id != 'body-public') return null;
    return nextcloud31Page(u, doc) ?? legacyPage(u, doc);
  } catch {
    return null;
  }
}

/*
 * Reading the page. Plain functions of the document (no reader object): the always-on bundle stays small, as the
 * minifier shortens their names.
 */
const attr = (e: Element | null, a: string) => e?.getAttribute(a) || undefined;
const inputValue = (doc: Document, id: string) => attr(doc.getElementById(id), 'value');
/** An initial state (NC 31+): base64 JSON in `#initial-state-KEY`; broken reads as absent. */
const decodeState = (e: Element | null): unknown => {
  try {
    const v = attr(e, 'value');
    return v && JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(v), (c) => c.charCodeAt(0))));
  } catch {
    return undefined;
  }
};
const state = (doc: Document, key: string) => decodeState(doc.getElementById('initial-state-' + key));
const isCompanion = (doc: Document) => doc.querySelector('head meta[name=generator][content="add-to-cloud-server"]');
const noRead = (p: unknown) => /^\d+$/.test(String(p)) && !(Number(p) & PERMISSION_READ);
const block = (reason: FederationBlock | false | undefined): Fields =>
  reason ? { canFederate: false, federationBlockedReason: reason } : {};
const PASSWORD_PAGE: Fields = { passwordRequired: true, isProtected: true };

/** Origin, base path and token from the URL; the page adds only `page`. */
const makePage = (u: ShareUrl, kind: ServerKind, generation: PageGeneration, page: Fields): SharePage => ({
  kind,
  generation,
  origin: u.origin,
  basePath: u.basePath,
  token: u.token,
  shareUrl: canonicalShareUrl(u),
  passwordRequired: false,
  isProtected: false,
  canFederate: true,
  needsServerConfirmation: false,
  ...page,
});

/** Rule 1: every token the page states is the URL's. */
function tokensMatch(u: ShareUrl, doc: Document): boolean {
  return [...doc.querySelectorAll('#sharingToken,#initial-state-files_sharing-sharingToken')].every(
    (e) => (e.id == 'sharingToken' ? attr(e, 'value') : decodeState(e)) === u.token,
  );
}

/** Rule 4: oCIS / OpenCloud / ownCloud Web, the SPA that only its server can confirm. */
function ocisPage(u: ShareUrl, doc: Document): SharePage | null {
  if (u.route == 'authenticate' || !doc.querySelector('body>#owncloud,body>#opencloud')) return null;
  if (![...doc.scripts].some((s) => /require\.js|web-runtime|runtimeLoaded/.test(s.getAttribute('src') || s.text)))
    return null;
  return makePage(u, 'ocis', u.route == 'spa-hash' ? 'ocis-hash' : 'ocis-web', {
    needsServerConfirmation: true,
    ...block(u.route == 'spa-upload' && 'file-drop'),
  });
}

/** Rule 2, password pages: NC 31+, NC ≤30, then OC10 / companion (whose page holds no token). */
function passwordPage(u: ShareUrl, doc: Document): SharePage | null {
  if (doc.querySelector('#initial-state-core-publicShareAuth'))
    return makePage(u, 'nextcloud', 'nc-vue', PASSWORD_PAGE);
  if (!doc.querySelector('input#password')) return null;
  if (doc.querySelector('input#sharingToken')) return makePage(u, 'nextcloud', 'nc-legacy', PASSWORD_PAGE);
  if (!doc.querySelector('#password-protected-share')) return null;
  return isCompanion(doc)
    ? makePage(u, 'companion', 'companion', PASSWORD_PAGE)
    : makePage(u, 'owncloud', 'oc10', PASSWORD_PAGE);
}

/** Rules 2–3, Nextcloud 31+: everything comes from initial states; undefined when the page is not one. */
function nextcloud31Page(u: ShareUrl, doc: Document): SharePage | undefined {
  if (!doc.querySelector('#initial-state-files_sharing-sharingToken') || state(doc, 'files_sharing-isPublic') !== true)
    return undefined;
  const view = state(doc, 'files_sharing-view');
  const name = state(doc, 'files_sharing-filename');
  const menu = state(doc, 'core-public-page-menu');
  const save = Array.isArray(menu) && menu.some((e: { id?: unknown } | null) => e?.id == 'save');
  return makePage(u, 'nextcloud', 'nc-vue', {
    name: typeof name == 'string' && name ? name : undefined,
    isFolder: view == 'public-file-share' ? false : view == 'public-share' || view == 'public-file-drop' || undefined,
    ...block(
      view == 'public-file-drop' || noRead(state(doc, 'files_sharing-sharePermissions'))
        ? 'file-drop'
        : !save && (state(doc, 'files_sharing-hideDownload') === true ? 'hide-download' : 'federation-disabled'),
    ),
  });
}

/**
 * Rule 2, the hidden-input pages (NC ≤30, OC10, companion): the fields they share, then the generation's own rules.
 */
function legacyPage(u: ShareUrl, doc: Document): SharePage | null {
  if (!doc.querySelector('input#sharingToken') || !doc.querySelector('input#isPublic[type=hidden][value="1"]'))
    return null;
  const header = doc.querySelector('#header[data-owner],#save-external-share');
  const mime = inputValue(doc, 'mimetype');
  const fields: Fields = {
    name: inputValue(doc, 'filename') ?? attr(header, 'data-name'),
    owner: inputValue(doc, 'sharingUserId') ?? attr(header, 'data-owner'),
    ownerDisplayName: attr(header, 'data-owner-display-name'),
    isFolder: mime ? mime == FOLDER : header?.classList.contains('share-folder'),
    isProtected: attr(header, 'data-protected') == 'true',
  };
  const drop = !!doc.querySelector('#upload-only-interface') || noRead(inputValue(doc, 'sharePermission'));
  return doc.querySelector('#sharingUserId,#hideDownload,#save-external-share')
    ? nextcloud30Page(u, doc, fields, drop)
    : owncloud10Page(u, doc, fields, drop);
}

/** Rule 3, Nextcloud ≤30: file drop, hide-download, or the "Add to" menu entry missing. */
function nextcloud30Page(u: ShareUrl, doc: Document, fields: Fields, drop: boolean): SharePage {
  const reason = drop
    ? 'file-drop'
    : inputValue(doc, 'hideDownload') == 'true'
      ? 'hide-download'
      : !doc.querySelector('#save-external-share') && 'federation-disabled';
  return makePage(u, 'nextcloud', 'nc-legacy', { ...fields, ...block(reason) });
}

/**
 * Rule 3, ownCloud 10 and the companion (same markup, told apart by the generator meta): file drop or federation off.
 */
function owncloud10Page(u: ShareUrl, doc: Document, fields: Fields, drop: boolean): SharePage {
  const federationOn = doc.querySelector('#save,script[src*="federatedfilesharing/js/public.js"]');
  const page = { ...fields, ...block(drop ? 'file-drop' : !federationOn && 'federation-disabled') };
  return isCompanion(doc)
    ? makePage(u, 'companion', 'companion', page)
    : makePage(u, 'owncloud', doc.querySelector('#save-button') ? 'oc10-pre-10.8' : 'oc10', page);
}
