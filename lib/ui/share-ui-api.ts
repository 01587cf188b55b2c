import type { SharePage } from '@/lib/share/types';

/**
 * The hand-over between the always-on detector and the share UI chunk. Both run in the content script's
 * isolated world, whose globals the page cannot see; the chunk publishes this API there when it loads.
 */
export interface ShareUiApi {
  /** Show the button for this share, or remove it (null) after SPA navigation away from a share. */
  show(share: SharePage | null): void;
}

export const SHARE_UI_GLOBAL = '__addToCloudShareUi';
/** Built by WXT from entrypoints/share-ui/ and listed in web_accessible_resources. */
export const SHARE_UI_PATH = '/share-ui.js';
