import { browser } from 'wxt/browser';

/**
 * One date format for the popup and the settings: the user's locale through Intl, in the browser's UI language
 * (the language the rest of the words are in). Days from the servers are calendar dates (YYYY-MM-DD): they are
 * shown as such, never shifted by the time zone.
 */
function locale(): string | undefined {
  try {
    return browser.i18n.getUILanguage() || undefined;
  } catch {
    return undefined;
  }
}

/** "30 Nov 2026" / "30.11.2026" for a YYYY-MM-DD day; the input itself when it is not one. */
export function formatDay(day: string, lang = locale()): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A moment (ms since epoch) with its time, in the user's time zone. */
export function formatMoment(ms: number, lang = locale()): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}
