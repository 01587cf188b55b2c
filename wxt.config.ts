import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { preactNoInnerHtml } from './scripts/build/preact-no-inner-html';

// Firefox needs a stable add-on id for storage and for web-ext; Chrome derives the id from the key/path.
const GECKO_ID = 'add-to-cloud@add-to-cloud.invalid';

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact(), preactNoInnerHtml()] }),
  manifest: ({ browser, mode }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // The context menu on share links ("Add to your cloud" without opening the link): `menus` in Firefox.
    permissions: ['storage', 'activeTab', browser === 'firefox' ? 'menus' : 'contextMenus'],
    // Only the user's own instances, asked for one origin at a time when connecting (options page).
    ...(browser === 'firefox'
      ? { optional_permissions: ['http://*/*', 'https://*/*'] }
      : { optional_host_permissions: ['http://*/*', 'https://*/*'] }),
    // The end-to-end build (`wxt build --mode e2e`, output *-e2e) holds the permission for the test servers on
    // 127.0.0.1 from install on: a headless browser cannot click the permission prompt. Nothing else differs.
    ...(mode === 'e2e' && { host_permissions: ['http://127.0.0.1/*'] }),
    // The always-on detector (entrypoints/detector.ts, kept free of WXT's content-script runtime).
    content_scripts: [{ matches: ['http://*/*', 'https://*/*'], js: ['detector.js'], run_at: 'document_idle' }],
    // The share UI is loaded with import() by the detector, only on share pages. The dynamic URL (a per-session id
    // that runtime.getURL returns) keeps sites from probing the fixed extension id to learn the extension is there;
    // Firefox's moz-extension:// ids are random per install already.
    web_accessible_resources: [
      { resources: ['share-ui.js'], matches: ['http://*/*', 'https://*/*'], use_dynamic_url: true },
    ],
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: GECKO_ID, strict_min_version: '142.0', data_collection_permissions: { required: ['none'] } },
      },
    }),
  }),
  // `npm run zip`: the Chrome Web Store zip, the Firefox zip and the sources zip addons.mozilla.org asks for
  // (SOURCE-BUILD.md says how a reviewer rebuilds from it). The sources keep what the extension build needs; tests,
  // benchmarks, documentation images and store material stay out.
  zip: {
    artifactTemplate: '{{name}}-{{version}}-{{browser}}.zip',
    sourcesTemplate: '{{name}}-{{version}}-sources.zip',
    excludeSources: ['test/**', 'bench/**', '.output/**', 'docs/**', 'store/**', 'BENCHMARKS.md'],
  },
});
