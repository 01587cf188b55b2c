import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectSharePage } from '@/lib/share/detect';
import { parseShareUrl } from '@/lib/share/url';
import type { SharePage } from '@/lib/share/types';
import { corpus } from '../../fixtures/pages/corpus';
import { parseHtml } from './parse-html';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/pages');
const parse = parseHtml;
const load = (file: string) => parse(readFileSync(path.join(FIXTURES, file), 'utf8'));

const OC_FOLDER_URL = 'https://cloud.example.org/index.php/s/Kq3TzP8wLm2Vx7A';
const ocFolder = () => load('owncloud/oc10-folder.html');

describe('detectSharePage over the fixture corpus', () => {
  const positives = corpus.filter((entry) => entry.expected);
  const negatives = corpus.filter((entry) => !entry.expected);

  it('covers every family and generation, and has negatives', () => {
    const generations = new Set(positives.map((entry) => entry.expected!.generation));
    for (const g of ['oc10', 'oc10-pre-10.8', 'nc-legacy', 'nc-vue', 'ocis-web', 'ocis-hash', 'companion'] as const) {
      expect(generations, g).toContain(g);
    }
    expect(negatives.length).toBeGreaterThanOrEqual(15);
    // Consumers (demo server, browser tests) rely on these fields being listed for every share.
    for (const entry of positives) {
      for (const key of ['kind', 'generation', 'token', 'canFederate'] as const) {
        expect(entry.expected![key], `${key} of ${entry.file} at ${entry.url}`).not.toBeUndefined();
      }
    }
  });

  it.each(positives.map((entry) => [entry.file, entry.url, entry] as const))('%s at %s', (_file, url, entry) => {
    const result = detectSharePage(url, load(entry.file));
    expect(result, entry.why).not.toBeNull();
    // Every listed field must equal (`undefined` meaning absent); unlisted fields are not checked.
    for (const [key, value] of Object.entries(entry.expected!)) {
      expect(result![key as keyof SharePage], `${key} (${entry.why})`).toEqual(value);
    }
    // Origin, base path and token always come from the URL.
    const fromUrl = parseShareUrl(url)!;
    expect(result).toMatchObject({ origin: fromUrl.origin, basePath: fromUrl.basePath, token: fromUrl.token });
    expect(result!.shareUrl).toBe(
      `${fromUrl.origin}${fromUrl.basePath}${fromUrl.viaIndexPhp ? '/index.php' : ''}/s/${fromUrl.token}`,
    );
    // A blocked share always says why; an allowed one never does.
    expect(result!.canFederate).toBe(result!.federationBlockedReason === undefined);
  });

  it.each(negatives.map((entry) => [entry.file, entry.url, entry] as const))('%s at %s → null', (_file, url, entry) => {
    expect(detectSharePage(url, load(entry.file)), entry.why).toBeNull();
  });

  it('gives the same answer on another origin below a deeper base path (as the demo server serves the corpus)', () => {
    for (const entry of corpus) {
      if (!/^https?:\/\/[^[]/.test(entry.url)) continue;
      const original = new URL(entry.url);
      const moved = `http://127.0.0.1:4321/f/12${original.pathname}${original.search}${original.hash}`;
      const before = detectSharePage(entry.url, load(entry.file));
      const after = detectSharePage(moved, load(entry.file));
      if (!before) {
        expect(after, `${entry.file} at ${moved}`).toBeNull();
        continue;
      }
      expect(after, `${entry.file} at ${moved}`).toEqual({
        ...before,
        origin: 'http://127.0.0.1:4321',
        basePath: '/f/12' + before.basePath,
        shareUrl: before.shareUrl.replace(before.origin, 'http://127.0.0.1:4321/f/12'),
      });
    }
  });
});

describe('detectSharePage: only strings and booleans from the page', () => {
  it('returns hostile names as inert strings', () => {
    const page = detectSharePage(
      'https://cloud.example.org/index.php/s/Xs5Sn4Am3Es2Qw1',
      load('owncloud/oc10-xss-names.html'),
    )!;
    for (const key of ['name', 'owner', 'ownerDisplayName'] as const) expect(typeof page[key]).toBe('string');
    expect(page.name).toBe('<img src=x onerror=alert(1)>');
    for (const value of Object.values(page)) expect(['string', 'boolean', 'undefined']).toContain(typeof value);
  });

  it('ignores origins, URLs and tokens written in the page (og:url, downloadURL, dirToken)', () => {
    const doc = ocFolder();
    doc
      .querySelector('meta[property="og:url"]')!
      .setAttribute('content', 'https://evil.example/index.php/s/Kq3TzP8wLm2Vx7A');
    doc.getElementById('downloadURL')!.setAttribute('value', 'https://evil.example/x');
    doc.getElementById('dirToken')!.setAttribute('value', 'Other0Token000');
    const page = detectSharePage(OC_FOLDER_URL, doc)!;
    expect(page.origin).toBe('https://cloud.example.org');
    expect(page.shareUrl).toBe(OC_FOLDER_URL);
    expect(JSON.stringify(page)).not.toContain('evil.example');
  });
});

describe('detectSharePage: forged and injected markup', () => {
  it('rejects a page that carries a second, different #sharingToken', () => {
    const doc = ocFolder();
    const extra = doc.createElement('input');
    extra.type = 'hidden';
    extra.id = 'sharingToken';
    extra.setAttribute('value', 'Zz9Yy8Xx7Ww6Vv5');
    doc.getElementById('content')!.append(extra);
    expect(detectSharePage(OC_FOLDER_URL, doc)).toBeNull();
  });

  it('rejects a #sharingToken that is not an input with a value', () => {
    const doc = ocFolder();
    const fake = doc.createElement('div');
    fake.id = 'sharingToken';
    doc.body.append(fake);
    expect(detectSharePage(OC_FOLDER_URL, doc)).toBeNull();
  });

  it('rejects an NC 31 page whose sharingToken state names another token', () => {
    const doc = load('nextcloud-vue/nc31-folder.html');
    doc.getElementById('initial-state-files_sharing-sharingToken')!.setAttribute('value', btoa('"Zz9Yy8Xx7Ww6Vv5"'));
    expect(detectSharePage('https://next.example.com/s/Vu3eF4oL5dE6rS7', doc)).toBeNull();
  });

  it('rejects an NC 31 page whose isPublic state is not true', () => {
    const doc = load('nextcloud-vue/nc31-folder.html');
    doc.getElementById('initial-state-files_sharing-isPublic')!.setAttribute('value', btoa('false'));
    expect(detectSharePage('https://next.example.com/s/Vu3eF4oL5dE6rS7', doc)).toBeNull();
  });

  it('needs the server layout marker <head data-requesttoken>', () => {
    const doc = ocFolder();
    doc.head.removeAttribute('data-requesttoken');
    expect(detectSharePage(OC_FOLDER_URL, doc)).toBeNull();
    const marker = doc.createElement('div');
    marker.setAttribute('data-requesttoken', 'x');
    doc.body.prepend(marker); // a body element with the attribute does not count
    expect(detectSharePage(OC_FOLDER_URL, doc)).toBeNull();
  });

  it('needs the public layout (body#body-public) on share pages', () => {
    const doc = ocFolder();
    doc.body.id = 'body-user';
    expect(detectSharePage(OC_FOLDER_URL, doc)).toBeNull();
  });

  it('needs #isPublic = 1 next to #sharingToken', () => {
    const doc = ocFolder();
    doc.getElementById('isPublic')!.setAttribute('value', '0');
    expect(detectSharePage(OC_FOLDER_URL, doc)).toBeNull();
  });

  it('needs a password field on a password page', () => {
    const doc = load('owncloud/oc10-password-prompt.html');
    doc.getElementById('password')!.remove();
    expect(detectSharePage(`${OC_FOLDER_URL}/authenticate`, doc)).toBeNull();
  });

  it('does not take a server-rendered page for an oCIS shell, nor a shell for a server page', () => {
    const shell = load('ocis/ocis-web-index.html');
    shell.head.setAttribute('data-requesttoken', 'x');
    expect(detectSharePage('https://ocis.example.com/s/Gx4Hj6Kl8Mn0Pq2', shell)).toBeNull();
    expect(
      detectSharePage('https://ocis.example.com/s/Gx4Hj6Kl8Mn0Pq2/authenticate', load('ocis/ocis-web-index.html')),
    ).toBeNull();
  });

  it('keeps recognising an oCIS shell after Web has rendered into its root', () => {
    const doc = load('ocis/ocis-web-index.html');
    doc.getElementById('owncloud')!.innerHTML =
      '<div id="web"><main id="web-content"><h1>Public files</h1></main></div>';
    expect(detectSharePage('https://ocis.example.com/s/Gx4Hj6Kl8Mn0Pq2', doc)).toMatchObject({ kind: 'ocis' });
  });
});

describe('detectSharePage: federation signals', () => {
  it('OC10: the federatedfilesharing script alone turns federation on, #save alone too', () => {
    const withScriptOnly = ocFolder();
    expect(withScriptOnly.getElementById('save')).toBeNull();
    expect(detectSharePage(OC_FOLDER_URL, withScriptOnly)?.canFederate).toBe(true);

    const withoutEither = ocFolder();
    withoutEither.querySelector('script[src*="federatedfilesharing"]')!.remove();
    expect(detectSharePage(OC_FOLDER_URL, withoutEither)).toMatchObject({
      canFederate: false,
      federationBlockedReason: 'federation-disabled',
    });

    const save = withoutEither.createElement('span');
    save.id = 'save';
    withoutEither.getElementById('details')!.prepend(save);
    expect(detectSharePage(OC_FOLDER_URL, withoutEither)?.canFederate).toBe(true);
  });

  it('OC10: a file drop stays blocked even when federation is on', () => {
    const page = detectSharePage(
      'https://cloud.example.org/index.php/s/Up4Ld8Ox2Ny6Mz3',
      load('owncloud/oc10-file-drop.html'),
    );
    expect(page).toMatchObject({ canFederate: false, federationBlockedReason: 'file-drop' });
  });

  it('OC10: read+create (5) and full permissions (15) are not file drops; an empty permission is ignored', () => {
    for (const [perm, canFederate] of [
      ['5', true],
      ['15', true],
      ['4', false],
      ['', true],
    ] as const) {
      const doc = ocFolder();
      doc.getElementById('sharePermission')!.setAttribute('value', perm);
      expect(detectSharePage(OC_FOLDER_URL, doc)?.canFederate, `permission "${perm}"`).toBe(canFederate);
    }
  });

  it('NC 31: without a menu state the reason is federation-disabled', () => {
    const doc = load('nextcloud-vue/nc31-folder.html');
    doc.getElementById('initial-state-core-public-page-menu')!.remove();
    expect(detectSharePage('https://next.example.com/s/Vu3eF4oL5dE6rS7', doc)).toMatchObject({
      canFederate: false,
      federationBlockedReason: 'federation-disabled',
    });
  });

  it('NC 31: a menu that is not an array, or has null entries, does not throw', () => {
    for (const menu of ['{"id":"save"}', '[null,1,"save"]', '"save"', 'null']) {
      const doc = load('nextcloud-vue/nc31-folder.html');
      doc.getElementById('initial-state-core-public-page-menu')!.setAttribute('value', btoa(menu));
      expect(detectSharePage('https://next.example.com/s/Vu3eF4oL5dE6rS7', doc)).toMatchObject({ canFederate: false });
    }
  });
});

describe('detectSharePage never throws', () => {
  const urls = [
    OC_FOLDER_URL,
    `${OC_FOLDER_URL}/authenticate`,
    'https://nc.example.com/s/pW5aS7sW9oR1dN3/authenticate/showShare',
    'https://ocis.example.com/files/link/public/Gx4Hj6Kl8Mn0Pq2',
    'https://ocis.example.com/files/upload/Gx4Hj6Kl8Mn0Pq2',
    'https://oc.example.org/web/index.html#/s/Kq3TzP8wLm2Vx7A',
    'not a url',
    '',
  ];
  const badState = (value: string) =>
    `<head data-requesttoken="x"></head><body id="body-public"><input type="hidden" id="initial-state-files_sharing-sharingToken" value="${value}"><input type="hidden" id="initial-state-files_sharing-isPublic" value="${value}"></body>`;
  const documents: Array<[string, () => Document]> = [
    ['empty HTML', () => parse('')],
    ['a document without <body> content', () => document.implementation.createHTMLDocument('')],
    [
      'an XML document',
      () => new DOMParser().parseFromString('<root><s id="sharingToken"/></root>', 'application/xml'),
    ],
    [
      'a tokenless share skeleton',
      () =>
        parse(
          '<head data-requesttoken></head><body id="body-public"><input id="isPublic" type="hidden" value="1"><input id="sharingToken" type="hidden"></body>',
        ),
    ],
    ['broken base64', () => parse(badState('%%%'))],
    ['base64 of broken JSON', () => parse(badState(btoa('{"a":')))],
    ['base64 of invalid UTF-8', () => parse(badState(btoa('\xff\xfe"')))],
    ['a huge base64 value', () => parse(badState(btoa('"' + 'A'.repeat(200_000) + '"')))],
    [
      'weird ids and attributes',
      () =>
        parse(
          '<head data-requesttoken="&quot;]"></head><body id="body-public"><div id="header" data-owner data-name data-protected="maybe" class="share-folder"></div><input id="isPublic" type="hidden" value="1"><input id="sharingToken" type="hidden" value="Kq3TzP8wLm2Vx7A"><input id="sharePermission" value="-1e309"></body>',
        ),
    ],
    [
      'an oCIS-like shell with odd scripts',
      () => parse('<body><div id="owncloud"></div><script src></script><script></script></body>'),
    ],
  ];

  it.each(documents)('%s', (_what, make) => {
    for (const url of urls) {
      expect(() => detectSharePage(url, make())).not.toThrow();
      const result = detectSharePage(url, make());
      if (result) expect(result.token).toBe(parseShareUrl(url)!.token);
    }
  });

  it('returns null when the DOM itself throws', () => {
    const throwing = new Proxy({} as Document, {
      get() {
        throw new Error('DOM access');
      },
    });
    expect(detectSharePage(OC_FOLDER_URL, throwing)).toBeNull();
    const brokenQuery = ocFolder();
    brokenQuery.querySelector = () => {
      throw new Error('boom');
    };
    expect(detectSharePage(OC_FOLDER_URL, brokenQuery)).toBeNull();
  });

  it('decides "not a share" from the URL alone, without touching the document', () => {
    let touched = 0;
    const spy = new Proxy({} as Document, {
      get() {
        touched++;
        throw new Error('the DOM must not be read');
      },
      has() {
        touched++;
        return false;
      },
    });
    for (const url of [
      'https://www.example.com/',
      'https://cloud.example.org/index.php/apps/files/',
      'https://cloud.example.org/index.php/s/Kq3TzP8wLm2Vx7A/download',
      'ftp://cloud.example.org/s/Kq3TzP8wLm2Vx7A',
      'javascript:void(0)',
      'garbage',
    ]) {
      expect(detectSharePage(url, spy)).toBeNull();
    }
    expect(touched).toBe(0);
  });

  it('returns a fresh object each time (callers may mutate it)', () => {
    const doc = ocFolder();
    const a = detectSharePage(OC_FOLDER_URL, doc) as SharePage;
    const b = detectSharePage(OC_FOLDER_URL, doc) as SharePage;
    expect(a).not.toBe(b);
    expect(a).toEqual(b);
  });
});
