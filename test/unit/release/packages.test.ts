import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OUTPUT, VERSION, fileNames, openZip, unpack, zippedManifest } from './zips';

/**
 * The store packages `npm run zip` makes, read back from the zips themselves: what a store (and a user) gets.
 */
const temp = mkdtempSync(path.join(tmpdir(), 'add-to-cloud-zips-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Every host or match pattern a manifest names, wherever it names one. */
const patternsIn = (manifest: Record<string, unknown>) =>
  JSON.stringify(manifest).match(/(?:https?|\*):\/\/[^"]*/g) ?? [];

describe.each(['chrome', 'firefox'] as const)('the %s zip', (kind) => {
  it('holds no permission for the end-to-end test servers, and no host permission at all from install on', async () => {
    const manifest = await zippedManifest(kind);
    expect(manifest.version).toBe(VERSION);
    expect(manifest.host_permissions).toBeUndefined();
    expect(JSON.stringify(manifest)).not.toContain('127.0.0.1');
    // Firefox MV2 keeps hosts in `permissions`: only API names are there; hosts are optional, asked for per instance.
    expect((manifest.permissions as string[]).filter((p) => p.includes('://'))).toEqual([]);
    expect(patternsIn(manifest).every((p) => ['http://*/*', 'https://*/*'].includes(p))).toBe(true);
  });

  it('is exactly the release build in .output (same files, same bytes)', async () => {
    const zip = await openZip(kind);
    const dir = path.join(OUTPUT, kind === 'chrome' ? 'chrome-mv3' : 'firefox-mv2');
    for (const name of fileNames(zip)) {
      expect(Buffer.compare(await zip.file(name)!.async('nodebuffer'), readFileSync(path.join(dir, name))), name).toBe(
        0,
      );
    }
    expect(fileNames(zip)).toContain('detector.js');
  });
});

describe('the Firefox zip', () => {
  it('passes web-ext lint with no errors and no warnings', async () => {
    const dir = await unpack('firefox', path.join(temp, 'firefox'));
    const bin = path.resolve(OUTPUT, '../node_modules/.bin/web-ext');
    let output: string;
    try {
      output = execFileSync(bin, ['lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'], {
        encoding: 'utf8',
      });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    }
    const report = JSON.parse(output) as { count: number; errors: unknown[]; warnings: unknown[]; notices: unknown[] };
    expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: [], warnings: [] });
  }, 60_000);
});

describe('the sources zip for addons.mozilla.org', () => {
  it('holds what `npm ci && npm run build:firefox` needs, with the build instructions, and no tests or outputs', async () => {
    const names = fileNames(await openZip('sources'));
    for (const needed of [
      'package.json',
      'package-lock.json',
      'wxt.config.ts',
      'tsconfig.json',
      'SOURCE-BUILD.md',
      'entrypoints/detector.ts',
      'public/icon/128.png',
    ])
      expect(names).toContain(needed);
    expect(names.filter((name) => /^(test|bench|docs|store|node_modules|\.output|\.wxt)\//.test(name))).toEqual([]);
  });
});
