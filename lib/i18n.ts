import { browser } from 'wxt/browser';

/** Every text the user sees goes through the browser's i18n (public/_locales). */
export type MessageKey = keyof typeof import('../public/_locales/en/messages.json');

export function t(key: MessageKey, substitutions?: string | string[]): string {
  // getMessage answers '' for an unknown key: show the key so the gap is visible instead of a blank.
  return browser.i18n.getMessage(key, substitutions) || key;
}
