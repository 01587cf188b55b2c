import { parseShareUrl } from '@/lib/share/url';
import { detectSharePage } from '@/lib/share/detect';
import type { SharePage } from '@/lib/share/types';
import { SHARE_UI_GLOBAL, SHARE_UI_PATH, type ShareUiApi } from '@/lib/ui/share-ui-api';
import { URL_POLL_MS } from '@/lib/timeouts';

/**
 * The always-on script: it runs on every http(s) page, so it stays tiny and plain (no Preact, no polyfill, no
 * messaging library). It decides "not a share" from the URL alone, without touching the DOM, and loads the
 * share UI chunk with import() only once a page really is a share.
 *
 * It is an unlisted script declared in wxt.config.ts rather than a WXT content script: WXT's content-script
 * wrapper brings webextension-polyfill (about 3 KB gzipped) into every page.
 */
export default defineUnlistedScript({
  main() {
    let lastHref = '';
    let ui: Promise<ShareUiApi | undefined> | undefined;

    const loadUi = (): Promise<ShareUiApi | undefined> =>
      (ui ??= import(/* @vite-ignore */ chrome.runtime.getURL(SHARE_UI_PATH)).then(
        () => (globalThis as Record<string, unknown>)[SHARE_UI_GLOBAL] as ShareUiApi | undefined,
      ));

    const check = (): void => {
      const href = location.href;
      if (href === lastHref) return;
      lastHref = href;
      const share: SharePage | null = parseShareUrl(href) ? detectSharePage(href, document) : null;
      // Once the UI is loaded it must also hear "no share any more" (SPA navigation away from a share).
      if (share || ui) void loadUi().then((api) => api?.show(share));
    };

    check();
    // Single-page apps (Nextcloud 31, oCIS) change the URL without a page load. The Navigation API reports
    // every URL change, pushState included; where it is missing (Firefox ESR) a once-a-second string
    // comparison is the fallback.
    const nav = (globalThis as { navigation?: EventTarget }).navigation;
    if (nav) nav.addEventListener('currententrychange', check);
    else setInterval(check, URL_POLL_MS);
    addEventListener('popstate', check);
    addEventListener('hashchange', check);
  },
});
