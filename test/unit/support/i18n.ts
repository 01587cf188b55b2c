import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fakeBrowser } from 'wxt/testing/fake-browser';

interface Message {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

const load = (lang: string) =>
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, `../../../public/_locales/${lang}/messages.json`), 'utf8'),
  ) as Record<string, Message>;
const catalogues: Record<string, Record<string, Message>> = { en: load('en'), de: load('de') };
let catalogue = catalogues.en!;

/** browser.i18n.getMessage as browsers implement it: named placeholders → $1..$9 → substitutions. */
export function formatMessage(key: string, substitutions?: string | string[]): string {
  const entry = catalogue[key];
  if (!entry) return '';
  const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  const positional = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (whole, name: string) => {
    const placeholder = entry.placeholders?.[name.toLowerCase()];
    return placeholder ? positional(placeholder.content) : whole;
  });
}

export function installEnglishMessages(): void {
  installMessages('en');
}

/** The browser's UI language for the next renders: 'en' or 'de'. */
export function installMessages(lang: 'en' | 'de'): void {
  catalogue = catalogues[lang]!;
  (fakeBrowser.i18n as { getMessage: typeof formatMessage }).getMessage = formatMessage;
}
