import type { FederationBlock, PageGeneration, ServerKind, SharePage } from './types';
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

export function detectSharePage(url: string, doc: Document): SharePage | null {
  const u = parseShareUrl(url);
  if (!u) return null;
  const { token, route } = u;
  const makePage = (kind: ServerKind, generation: PageGeneration, page: Fields): SharePage => ({
    kind,
    generation,
    origin: u.origin,
    basePath: u.basePath,
    token,
    shareUrl: canonicalShareUrl(u),
    passwordRequired: false,
    isProtected: false,
    canFederate: true,
    needsServerConfirmation: false,
    ...page,
  });
  const block = (reason: FederationBlock | false | undefined): Fields =>
    reason ? { canFederate: false, federationBlockedReason: reason } : {};
  const passwordPage: Fields = { passwordRequired: true, isProtected: true };
  try {
    const query = (s: string) => doc.querySelector(s);
    const attr = (e: Element | null, a: string) => e?.getAttribute(a) || undefined;
    const inputValue = (id: string) => attr(doc.getElementById(id), 'value');
    const decodeState = (e: Element | null): unknown => {
      try {
        const v = attr(e, 'value');
        return v && JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(v), (c) => c.charCodeAt(0))));
      } catch {
        return undefined;
      }
    };
    const state = (key: string) => decodeState(doc.getElementById('initial-state-' + key));
    const noRead = (p: unknown) => /^\d+$/.test(String(p)) && !(Number(p) & 1);

    for (const e of doc.querySelectorAll('#sharingToken,#initial-state-files_sharing-sharingToken'))
      if ((e.id == 'sharingToken' ? attr(e, 'value') : decodeState(e)) !== token) return null;

    if (!query('head[data-requesttoken]')) {
      return route != 'authenticate' &&
        query('body>#owncloud,body>#opencloud') &&
        [...doc.scripts].some((s) => /require\.js|web-runtime|runtimeLoaded/.test(s.getAttribute('src') || s.text))
        ? makePage('ocis', route == 'spa-hash' ? 'ocis-hash' : 'ocis-web', {
            needsServerConfirmation: true,
            ...block(route == 'spa-upload' && 'file-drop'),
          })
        : null;
    }
    const tokenInput = query('input#sharingToken');
    const companion = query('head meta[name=generator][content="add-to-cloud-server"]');
    if (route == 'authenticate') {
      if (query('#initial-state-core-publicShareAuth')) return makePage('nextcloud', 'nc-vue', passwordPage);
      if (!query('input#password')) return null;
      if (tokenInput) return makePage('nextcloud', 'nc-legacy', passwordPage);
      if (!query('#password-protected-share')) return null;
      return companion ? makePage('companion', 'companion', passwordPage) : makePage('owncloud', 'oc10', passwordPage);
    }
    if (route != 'share' || doc.body?.id != 'body-public') return null;

    if (query('#initial-state-files_sharing-sharingToken') && state('files_sharing-isPublic') === true) {
      const view = state('files_sharing-view');
      const name = state('files_sharing-filename');
      const menu = state('core-public-page-menu');
      const save = Array.isArray(menu) && menu.some((e) => (e as { id?: unknown } | null)?.id == 'save');
      return makePage('nextcloud', 'nc-vue', {
        name: typeof name == 'string' && name ? name : undefined,
        isFolder: view == 'public-file-share' ? false : view == 'public-share' || view == 'public-file-drop' || undefined,
        ...block(
          view == 'public-file-drop' || noRead(state('files_sharing-sharePermissions'))
            ? 'file-drop'
            : !save && (state('files_sharing-hideDownload') === true ? 'hide-download' : 'federation-disabled'),
        ),
      });
    }

    if (!tokenInput || !query('input#isPublic[type=hidden][value="1"]')) return null;
    const header = query('#header[data-owner],#save-external-share');
    const mime = inputValue('mimetype');
    const fields: Fields = {
      name: inputValue('filename') ?? attr(header, 'data-name'),
      owner: inputValue('sharingUserId') ?? attr(header, 'data-owner'),
      ownerDisplayName: attr(header, 'data-owner-display-name'),
      isFolder: mime ? mime == FOLDER : header?.classList.contains('share-folder'),
      isProtected: attr(header, 'data-protected') == 'true',
    };
    const drop = query('#upload-only-interface') || noRead(inputValue('sharePermission'));
    if (query('#sharingUserId,#hideDownload,#save-external-share')) {
      return makePage('nextcloud', 'nc-legacy', {
        ...fields,
        ...block(
          drop ? 'file-drop' : inputValue('hideDownload') == 'true' ? 'hide-download' : !query('#save-external-share') && 'federation-disabled',
        ),
      });
    }
    const federationOn = query('#save,script[src*="federatedfilesharing/js/public.js"]');
    const blocked = block(drop ? 'file-drop' : !federationOn && 'federation-disabled');
    return companion
      ? makePage('companion', 'companion', { ...fields, ...blocked })
      : makePage('owncloud', query('#save-button') ? 'oc10-pre-10.8' : 'oc10', { ...fields, ...blocked });
  } catch {
    return null;
  }
}
