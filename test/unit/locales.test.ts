import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface Message {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

const load = (lang: string) =>
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, `../../public/_locales/${lang}/messages.json`), 'utf8'),
  ) as Record<string, Message>;
const en = load('en');
const de = load('de');
const placeholdersIn = (text: string) =>
  [...text.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((m) => m[1]!.toLowerCase()).sort();

describe('the English and German catalogues', () => {
  it('have the same keys', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en))('%s: same placeholders in both, each one defined, no empty text', (key) => {
    const [english, german] = [en[key]!, de[key]!];
    expect(german.message.trim()).not.toBe('');
    expect(placeholdersIn(german.message)).toEqual(placeholdersIn(english.message));
    expect(german.placeholders ?? {}).toEqual(english.placeholders ?? {});
    for (const name of placeholdersIn(english.message)) expect(english.placeholders?.[name]).toBeDefined();
  });
});

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The extension's own sources (the companion server has no catalogue), with wxt.config.ts for the manifest. */
function extensionSources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return relative === 'lib/server' ? [] : extensionSources(relative);
    return /\.(ts|tsx|html)$/.test(entry.name) ? [readFileSync(path.join(ROOT, relative), 'utf8')] : [];
  });
}
const sources = [
  ...['lib', 'components', 'entrypoints'].flatMap(extensionSources),
  readFileSync(path.join(ROOT, 'wxt.config.ts'), 'utf8'),
].join('\n');

describe('the catalogue and the sources', () => {
  // t() is checked by the compiler (MessageKey); these two ways of naming a message are not.
  it('has every message the sources name outside t(): getMessage calls and the manifest’s __MSG_ names', () => {
    const named = [
      ...[...sources.matchAll(/getMessage\(\s*'([A-Za-z0-9_]+)'/g)].map((m) => m[1]!),
      ...[...sources.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((m) => m[1]!),
    ];
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((key) => !(key in en))).toEqual([]);
  });

  // Every key is quoted somewhere (t('key'), a Record of keys, a __MSG_ name): one that is not is text nobody sees.
  it('holds no message that no source names', () => {
    const unused = Object.keys(en).filter((key) => !new RegExp(`['"\`]${key}['"\`]|__MSG_${key}__`).test(sources));
    expect(unused).toEqual([]);
  });
});
