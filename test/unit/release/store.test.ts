import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** The width and height in a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const data = readFileSync(path.join(root, file));
  expect(data.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [data.readUInt32BE(16), data.readUInt32BE(20)];
}

describe.each(['en', 'de'])('the %s store texts', (lang) => {
  it('have a short description within the Chrome Web Store’s 132 characters, on one line', () => {
    const text = read(`store/${lang}/short-description.txt`).trimEnd();
    expect(text).not.toContain('\n');
    expect([...text].length).toBeGreaterThan(40);
    expect([...text].length).toBeLessThanOrEqual(132);
  });

  it('have a description that points to the privacy policy', () => {
    expect(read(`store/${lang}/description.md`)).toContain('PRIVACY.md');
  });
});

describe('the icons', () => {
  it.each([16, 32, 48, 96, 128])('%i px exists at its size (Chrome: 128; AMO: 48 and 96)', (size) => {
    expect(pngSize(`public/icon/${size}.png`)).toEqual([size, size]);
  });
});
