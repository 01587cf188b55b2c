import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Code, tests and docs cite the server facts they rely on as `docs/protocols.md#<anchor>`. These checks keep the
 * citations honest: every cited anchor is a heading of docs/protocols.md (as GitHub renders it), and nothing cites
 * the old protocol notes or the reference recordings that lived outside the repository.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const PROTOCOLS = 'docs/protocols.md';
const SCANNED = /\.(ts|tsx|mjs|cjs|js|md|json|ya?ml|sh)$/;
const CITATION = /docs\/protocols\.md#([\w-]+)/g;
/** The outside notes were cited by section sign (`… §2.7`) or anchor; the repository's own file is protocols.md. */
const OUTSIDE_NOTES = /(?<![\w/.-])protocol\.md\s*(?:§|#)/;
/**
 * The team's reference folder next to the repository (recordings of real servers, protocol notes). A fresh clone does
 * not have it, so nothing may point there: recordings a test reads are copied into test/fixtures/captures.
 */
const OUTSIDE_REFERENCE = /\.\.\/shared\/|shared\/reference/;

/** GitHub's heading anchor: lower case, punctuation dropped (hyphens and underscores kept), each space a hyphen. */
function githubSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown file's headings, in order (fenced code blocks skipped). */
function headingSlugs(markdown: string): string[] {
  const slugs: string[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) slugs.push(githubSlug(heading[1]!));
  }
  return slugs;
}

/** Every .ts/.tsx/.mjs/.md file of the repository, relative to its root; dependencies and build output left out. */
function sourceFiles(dir = ''): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : sourceFiles(relative);
    return entry.isFile() && SCANNED.test(entry.name) ? [relative] : [];
  });
}

interface Citation {
  where: string;
  anchor: string;
}

function citations(files: string[]): Citation[] {
  return files.flatMap((file) =>
    readFileSync(path.join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => [...line.matchAll(CITATION)].map((m) => ({ where: `${file}:${i + 1}`, anchor: m[1]! }))),
  );
}

describe('citations of docs/protocols.md', () => {
  const document = readFileSync(path.join(ROOT, PROTOCOLS), 'utf8');
  const anchors = headingSlugs(document);
  const files = sourceFiles();
  const cited = citations(files);

  it('derives anchors the way GitHub does', () => {
    expect(githubSlug('Nextcloud 31+ page')).toBe('nextcloud-31-page');
    expect(githubSlug('Public-files WebDAV')).toBe('public-files-webdav');
    expect(githubSlug('Identity: status.php')).toBe('identity-statusphp');
    expect(githubSlug('`remote_shares` list')).toBe('remote_shares-list');
    expect(githubSlug('Deliberate differences from ownCloud 10 (improvements)')).toBe(
      'deliberate-differences-from-owncloud-10-improvements',
    );
  });

  it('has no two headings with the same anchor (GitHub would number the second one)', () => {
    const repeated = anchors.filter((anchor, i) => anchors.indexOf(anchor) !== i);
    expect(repeated).toEqual([]);
  });

  it('scans the repository and finds the code citing it', () => {
    expect(files).toContain('lib/mount/strategy.ts');
    expect(files.some((f) => f.startsWith('node_modules/') || f.startsWith('.output/'))).toBe(false);
    expect(cited.length).toBeGreaterThanOrEqual(20);
  });

  it('every cited anchor is a heading of docs/protocols.md', () => {
    const broken = cited.filter((c) => !anchors.includes(c.anchor)).map((c) => `${c.where} → #${c.anchor}`);
    expect(broken).toEqual([]);
  });

  it('its own links within the page resolve', () => {
    const links = [...document.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((anchor) => !anchors.includes(anchor))).toEqual([]);
  });

  /** `file:line` of every line of the scanned files that matches `pattern`. */
  const linesMatching = (pattern: RegExp) =>
    files.flatMap((file) =>
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}`] : [])),
    );

  it('nothing cites the protocol notes outside the repository', () => {
    expect(linesMatching(OUTSIDE_NOTES)).toEqual([]);
  });

  it('nothing points into the reference folder outside the repository', () => {
    // Built from parts, so that this file does not match itself.
    const shared = ['..', 'shared', ''].join('/');
    expect(OUTSIDE_REFERENCE.test(`see ${shared}owncloud-10.15.2/captures`)).toBe(true);
    expect(OUTSIDE_REFERENCE.test(`/work/${['shared', 'reference'].join('/')}/nextcloud-31.0.2`)).toBe(true);
    expect(OUTSIDE_REFERENCE.test('test/fixtures/captures/owncloud-10.15.2')).toBe(false);
    expect(linesMatching(OUTSIDE_REFERENCE)).toEqual([]);
  });
});
