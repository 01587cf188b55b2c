import { readFileSync } from 'node:fs';
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
