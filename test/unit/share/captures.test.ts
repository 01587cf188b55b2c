import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectSharePage } from '@/lib/share/detect';
import { parseHtml } from './parse-html';

/**
 * The detector against real pages of an unmodified ownCloud 10.15.2 (test/fixtures/captures, recorded on
 * http://127.0.0.1:8101 with the PHP built-in server, so links are /index.php/s/TOKEN).
 */
const DIR = path.resolve(import.meta.dirname, '../../fixtures/captures/owncloud-10.15.2');
const A = 'http://127.0.0.1:8101';

const page = (name: string) => parseHtml(readFileSync(path.join(DIR, name), 'utf8'));

/** The share tokens of the recorded run (the tokens line of the recording's requests.log) ("tokens: folder=… folder+pw=… file=… file+pw=…"). */
function tokens(): Record<'folder' | 'folder+pw' | 'file' | 'file+pw', string> {
  const line = readFileSync(path.join(DIR, 'tokens.txt'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('tokens:'));
  if (!line) throw new Error('tokens.txt has no tokens line');
  return Object.fromEntries(
    line
      .slice('tokens:'.length)
      .trim()
      .split(/\s+/)
      .map((pair) => pair.split('=')),
  ) as ReturnType<typeof tokens>;
}

describe('ownCloud 10.15.2 captures', () => {
  const t = tokens();
  const shareUrl = (token: string) => `${A}/index.php/s/${token}`;
  const alice = { kind: 'owncloud', owner: 'alice', ownerDisplayName: 'Alice', origin: A, basePath: '' } as const;

  it('reads the tokens the pages were recorded with', () => {
    for (const key of ['folder', 'folder+pw', 'file', 'file+pw'] as const) expect(t[key]).toMatch(/^[A-Za-z0-9]{15}$/);
    expect(page('public-folder.html').getElementById('sharingToken')?.getAttribute('value')).toBe(t.folder);
  });

  it('public-folder.html: a folder share by alice, federation on', () => {
    expect(detectSharePage(shareUrl(t.folder), page('public-folder.html'))).toEqual({
      ...alice,
      generation: 'oc10',
      token: t.folder,
      shareUrl: shareUrl(t.folder),
      name: 'Shared Folder',
      isFolder: true,
      isProtected: false,
      passwordRequired: false,
      canFederate: true,
      needsServerConfirmation: false,
    });
  });

  it('public-folder-subdir.html: the same share opened in /sub (?path=)', () => {
    expect(detectSharePage(`${shareUrl(t.folder)}?path=%2Fsub`, page('public-folder-subdir.html'))).toMatchObject({
      ...alice,
      token: t.folder,
      shareUrl: shareUrl(t.folder),
      name: 'Shared Folder',
      isFolder: true,
      canFederate: true,
    });
  });

  it('public-file.html: a single-file share', () => {
    expect(detectSharePage(shareUrl(t.file), page('public-file.html'))).toMatchObject({
      ...alice,
      generation: 'oc10',
      token: t.file,
      name: 'report.txt',
      isFolder: false,
      isProtected: false,
      canFederate: true,
      passwordRequired: false,
    });
  });

  it('the static share pages load federatedfilesharing/js/public.js, the password form does not', () => {
    // The fact behind the OC10 federation rule: the script is only added when outgoing federation is on.
    const fed = 'script[src*="federatedfilesharing/js/public.js"]';
    for (const name of ['public-folder.html', 'public-file.html', 'public-folder-pw-page.html']) {
      expect(page(name).querySelector(fed), name).not.toBeNull();
      expect(page(name).getElementById('save'), name).toBeNull();
    }
    expect(page('public-folder-pw-prompt.html').querySelector(fed)).toBeNull();
  });

  it.each([
    ['public-folder-pw-prompt.html', 'folder+pw'],
    ['public-file-pw-prompt.html', 'file+pw'],
    ['public-folder-pw-wrong.html', 'folder+pw'],
  ] as const)('%s: the password form (token from the URL)', (name, key) => {
    const doc = page(name);
    expect(doc.getElementById('sharingToken')).toBeNull();
    expect(detectSharePage(`${shareUrl(t[key])}/authenticate`, doc)).toEqual({
      kind: 'owncloud',
      generation: 'oc10',
      origin: A,
      basePath: '',
      token: t[key],
      shareUrl: shareUrl(t[key]),
      passwordRequired: true,
      isProtected: true,
      canFederate: true,
      needsServerConfirmation: false,
    });
  });

  it.each([
    ['public-folder-pw-page.html', 'folder+pw', 'Protected Folder', true],
    ['public-file-pw-page.html', 'file+pw', 'private-report.txt', false],
  ] as const)('%s: the share after the password, data-protected="true"', (name, key, fileName, isFolder) => {
    expect(detectSharePage(shareUrl(t[key]), page(name))).toMatchObject({
      ...alice,
      token: t[key],
      name: fileName,
      isFolder,
      isProtected: true,
      passwordRequired: false,
      canFederate: true,
    });
  });

  it.each([
    ['public-folder-rendered-dom.html', 'folder', 'Shared Folder'],
    ['public-file-rendered-dom.html', 'file', 'report.txt'],
  ] as const)('%s: after JavaScript, #save-to-oc-button marks 10.8+', (name, key, fileName) => {
    const doc = page(name);
    expect(doc.querySelector('#save > #save-to-oc-button')).not.toBeNull();
    expect(detectSharePage(shareUrl(t[key]), doc)).toMatchObject({
      ...alice,
      generation: 'oc10',
      token: t[key],
      name: fileName,
      canFederate: true,
    });
  });

  it('public-invalid-token.html: the 404 page is not a share', () => {
    expect(detectSharePage(`${A}/index.php/s/NoSuchShare0000`, page('public-invalid-token.html'))).toBeNull();
  });

  it('bob-files-app.html: the logged-in Files app is not a share, at its own URL or at a share URL', () => {
    const doc = page('bob-files-app.html');
    expect(detectSharePage('http://127.0.0.1:8102/index.php/apps/files/', doc)).toBeNull();
    expect(detectSharePage(`http://127.0.0.1:8102/index.php/s/${t.folder}`, doc)).toBeNull();
  });

  it('a real share page served under another token is refused (the URL decides)', () => {
    expect(detectSharePage(shareUrl(t.file), page('public-folder.html'))).toBeNull();
    expect(detectSharePage(`https://evil.example/index.php/s/${t.folder}`, page('public-folder.html'))).toMatchObject({
      origin: 'https://evil.example',
      shareUrl: `https://evil.example/index.php/s/${t.folder}`,
    });
  });

  it('the password form is only a password page on /authenticate', () => {
    expect(detectSharePage(shareUrl(t['folder+pw']), page('public-folder-pw-prompt.html'))).toBeNull();
  });
});
