import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bumpVersion, releaseChangelog, withVersion } from '../../../scripts/release/steps.mjs';

const root = path.resolve(import.meta.dirname, '../../..');

describe('bumpVersion', () => {
  it.each([
    ['0.1.0', 'patch', '0.1.1'],
    ['0.1.9', 'patch', '0.1.10'],
    ['0.1.3', 'minor', '0.2.0'],
    ['1.4.2', 'major', '2.0.0'],
  ])('%s + %s = %s', (version, bump, next) => {
    expect(bumpVersion(version, bump)).toBe(next);
  });

  it('refuses a pre-release, a non-version and an unknown bump', () => {
    expect(() => bumpVersion('1.0.0-beta.1', 'patch')).toThrow(/plain x.y.z/);
    expect(() => bumpVersion('v1.0.0', 'patch')).toThrow(/plain x.y.z/);
    expect(() => bumpVersion('1.0.0', 'huge')).toThrow(/patch, minor, major/);
  });
});

const CHANGELOG = `# Changelog

Intro.

## [Unreleased]

### Added
- A button.

## [0.1.0] - 2026-01-02

- First.
`;

describe('releaseChangelog', () => {
  it('dates the Unreleased notes as the new version and leaves an empty Unreleased section above', () => {
    expect(releaseChangelog(CHANGELOG, '0.2.0', '2026-11-30')).toBe(`# Changelog

Intro.

## [Unreleased]

## [0.2.0] - 2026-11-30

### Added
- A button.

## [0.1.0] - 2026-01-02

- First.
`);
  });

  it('works when the Unreleased section is the last one', () => {
    const first = '# Changelog\n\n## [Unreleased]\n\n- Everything.\n';
    expect(releaseChangelog(first, '0.1.0', '2026-11-30')).toBe(
      '# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-11-30\n\n- Everything.\n',
    );
  });

  it('refuses to release nothing, to release a version twice, and a changelog without Unreleased', () => {
    const released = releaseChangelog(CHANGELOG, '0.2.0', '2026-11-30');
    expect(() => releaseChangelog(released, '0.2.1', '2026-11-30')).toThrow(/nothing to release/);
    expect(() => releaseChangelog(CHANGELOG, '0.1.0', '2026-11-30')).toThrow(/already has a section for 0.1.0/);
    expect(() => releaseChangelog('# Changelog\n', '0.1.0', '2026-11-30')).toThrow(/no "## \[Unreleased\]"/);
    expect(() => releaseChangelog(CHANGELOG, '0.2.0', '30.11.2026')).toThrow(/YYYY-MM-DD/);
  });

  it('accepts the repository’s CHANGELOG.md as it stands', () => {
    const text = readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
    expect(releaseChangelog(text, '9.9.9', '2026-11-30')).toContain('## [Unreleased]\n\n## [9.9.9] - 2026-11-30\n\n');
  });
});

describe('withVersion', () => {
  it('changes only the version of package.json, formatted as npm writes it', () => {
    const text = readFileSync(path.join(root, 'package.json'), 'utf8');
    const next = withVersion(text, '9.9.9');
    expect(JSON.parse(next)).toEqual({ ...JSON.parse(text), version: '9.9.9' });
    expect(next.split('\n').filter((line, i) => line !== text.split('\n')[i])).toEqual(['  "version": "9.9.9",']);
  });

  it('changes both versions of package-lock.json (the file’s and the root package’s)', () => {
    const lock = JSON.parse(withVersion(readFileSync(path.join(root, 'package-lock.json'), 'utf8'), '9.9.9'));
    expect(lock.version).toBe('9.9.9');
    expect(lock.packages[''].version).toBe('9.9.9');
  });
});
