import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removePreactInnerHtml } from '../../../scripts/build/preact-no-inner-html';

const preact = readFileSync(path.resolve(import.meta.dirname, '../../../node_modules/preact/dist/preact.mjs'), 'utf8');

describe('the build-time removal of Preact’s innerHTML assignment', () => {
  it('leaves no innerHTML assignment in the installed Preact, and throws where the branch was', () => {
    expect(preact).toMatch(/\.innerHTML=/);
    const cleaned = removePreactInnerHtml(preact);
    expect(cleaned).not.toMatch(/\.innerHTML\s*=[^=]/);
    expect(cleaned).toContain('dangerouslySetInnerHTML is not allowed');
    expect(cleaned.length - preact.length).toBeLessThan(100);
  });

  it('fails the build when Preact’s code no longer has exactly one such assignment', () => {
    expect(() => removePreactInnerHtml('export const x = 1;')).toThrow(/found 0/);
    const twice = preact.replace(/\(([\w$]+)\.innerHTML=([\w$]+)\.__html\)/, (match) => `${match},${match}`);
    expect(() => removePreactInnerHtml(twice)).toThrow(/found 2/);
  });
});
