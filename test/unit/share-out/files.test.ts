import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileBrowser } from '@/lib/share-out/files';
import { fakeFetch } from '../support/fake-fetch';
import { failure } from '../support/failure';

const ROOT = '/nc/remote.php/dav/files/alice%40example.org';

const entry = (href: string, folder: boolean, size = 0) => `
  <d:response><d:href>${href}</d:href><d:propstat><d:prop>
    <d:getlastmodified>Fri, 27 Nov 2026 10:00:00 GMT</d:getlastmodified>
    ${folder ? '<d:resourcetype><d:collection/></d:resourcetype>' : `<d:resourcetype/><d:getcontentlength>${size}</d:getcontentlength><d:getcontenttype>text/plain</d:getcontenttype>`}
  </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
const multistatus = (...entries: string[]) =>
  new Response(
    `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">${entries.join('')}</d:multistatus>`,
    {
      status: 207,
      headers: { 'Content-Type': 'application/xml; charset=utf-8' },
    },
  );

/** The library may or may not end the root's URL with a slash. */
const root = (handler: () => Response) => ({ [`PROPFIND ${ROOT}`]: handler, [`PROPFIND ${ROOT}/`]: handler });
const browserFor = () =>
  new FileBrowser(
    { baseUrl: 'https://cloud.example.com/nc', loginName: 'alice', appPassword: 'app-pw' },
    'alice@example.org',
  );

afterEach(() => vi.unstubAllGlobals());

describe('FileBrowser', () => {
  it('lists one folder (Depth 1) with the app password, no cookies, folders first, names decoded as text', async () => {
    const { impl, requests } = fakeFetch({
      [`PROPFIND ${ROOT}/Projects`]: () =>
        multistatus(
          entry(`${ROOT}/Projects/`, true),
          entry(`${ROOT}/Projects/z%20notes.txt`, false, 12),
          entry(`${ROOT}/Projects/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%20%F0%9F%98%80/`, true),
          entry(`${ROOT}/Projects/a%26b.txt`, false, 3),
        ),
    });
    vi.stubGlobal('fetch', impl);
    const { items } = await browserFor().list('/Projects');
    expect(items.map((i) => [i.name, i.isFolder, i.path])).toEqual([
      ['<img src=x onerror=alert(1)> 😀', true, '/Projects/<img src=x onerror=alert(1)> 😀'],
      ['a&b.txt', false, '/Projects/a&b.txt'],
      ['z notes.txt', false, '/Projects/z notes.txt'],
    ]);
    expect(items[2]!.size).toBe(12);
    const [request] = requests;
    expect(request!.headers.get('Depth')).toBe('1');
    expect(request!.credentials).toBe('omit');
    expect(request!.redirect).toBe('manual');
    expect(atob(request!.headers.get('Authorization')!.slice(6))).toBe('alice:app-pw');
  });

  it('answers an empty list for an empty folder', async () => {
    vi.stubGlobal('fetch', fakeFetch(root(() => multistatus(entry(`${ROOT}/`, true)))).impl);
    expect((await browserFor().list('/')).items).toEqual([]);
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [503, 'server-error'],
  ])('turns HTTP %i into %s', async (status, code) => {
    vi.stubGlobal('fetch', fakeFetch({ [`PROPFIND ${ROOT}/Gone`]: () => new Response('', { status }) }).impl);
    expect((await failure(browserFor().list('/Gone'))).code).toBe(code);
  });

  it('reports an unreachable server and unreadable XML', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    expect((await failure(browserFor().list('/'))).code).toBe('unreachable');
    vi.stubGlobal('fetch', fakeFetch(root(() => new Response('<html>login</html>', { status: 207 }))).impl);
    expect((await failure(browserFor().list('/'))).code).toBe('bad-response');
  });
});
