import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileBrowser } from '@/lib/share-out/files';
import { ownershipOf, PROPFIND_BODY } from '@/lib/share-out/received';
import { fakeFetch } from '../support/fake-fetch';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const xml = (body: string) =>
  new Response(body, { status: 207, headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
/** The body of a recorded raw response (status line, headers, blank line, body). */
const recordedBody = (file: string) => {
  const raw = readFileSync(path.join(FIXTURES, 'captures', file), 'utf8');
  return raw.slice(raw.search(/\r?\n\r?\n/)).trim();
};

afterEach(() => vi.unstubAllGlobals());

describe('ownershipOf', () => {
  it.each([
    [
      { permissions: 'RGDNVCK', 'mount-type': '' },
      { received: false, canReshare: true, sharedOut: false },
    ],
    [
      { permissions: 'SRGDNVCK', 'mount-type': 'shared' },
      { received: true, canReshare: true, sharedOut: false },
    ],
    [{ permissions: 'SGDNV' }, { received: true, canReshare: false, sharedOut: false }],
    // The companion's mounts: S without R.
    [{ permissions: 'SDNV' }, { received: true, canReshare: false, sharedOut: false }],
    [
      { permissions: 'MRGDNVCK', 'mount-type': 'external' },
      { received: true, canReshare: true, sharedOut: false },
    ],
    // Group folders are the user's to share.
    [
      { permissions: 'RGDNVCK', 'mount-type': 'group' },
      { received: false, canReshare: true, sharedOut: false },
    ],
    [
      { permissions: 'RGDNVCK', 'share-types': { 'share-type': [3, 6] } },
      { received: false, canReshare: true, sharedOut: true },
    ],
    [
      { permissions: 'RGDNVCK', 'share-types': { 'share-type': 3 } },
      { received: false, canReshare: true, sharedOut: true },
    ],
    [{ 'share-types': '' }, { received: false, canReshare: false, sharedOut: false }],
  ])('reads %j', (props, expected) => {
    expect(ownershipOf(props)).toEqual(expected);
  });
});

describe('FileBrowser recognises received items', () => {
  const ROOT = '/remote.php/dav/files/nick';
  const browserFor = () =>
    new FileBrowser({ baseUrl: 'http://127.0.0.1:8112', loginName: 'nick', appPassword: 'app-pw' }, 'nick');

  it('asks for permissions, share types and mount type, and reads them from a Nextcloud listing', async () => {
    const body = readFileSync(path.join(FIXTURES, 'dav/nextcloud-received-propfind.xml'), 'utf8');
    const { impl, requests } = fakeFetch({
      [`PROPFIND ${ROOT}/`]: () => xml(body),
      [`PROPFIND ${ROOT}`]: () => xml(body),
    });
    vi.stubGlobal('fetch', impl);
    const { folder, items } = await browserFor().list('/');
    expect(requests[0]!.body).toBe(PROPFIND_BODY);
    expect(folder?.ownership).toEqual({ received: false, canReshare: true, sharedOut: false });
    expect(items.map((i) => [i.name, i.ownership])).toEqual([
      ['Archive', { received: true, canReshare: true, sharedOut: false }],
      ['Cap Folder', { received: false, canReshare: true, sharedOut: true }],
      ['Fed Folder', { received: true, canReshare: true, sharedOut: false }],
      ['No Reshare', { received: true, canReshare: false, sharedOut: false }],
      ['fed.txt', { received: true, canReshare: true, sharedOut: false }],
    ]);
  });

  it('reads a recorded Sabre answer with a second, 404 propstat (Nextcloud 31.0.2)', async () => {
    // nina's public WebDAV of a federated share, as nick's server read it: permissions without S, and 404s for
    // the properties Sabre does not have. The library must take the 200 propstat.
    const body = recordedBody('nextcloud-31.0.2/s2s-fedshare-public-webdav-propfind.http').replaceAll(
      '/public.php/webdav/',
      `${ROOT}/`,
    );
    const { impl } = fakeFetch({ [`PROPFIND ${ROOT}/`]: () => xml(body), [`PROPFIND ${ROOT}`]: () => xml(body) });
    vi.stubGlobal('fetch', impl);
    const { folder, items } = await browserFor().list('/');
    expect(folder?.ownership).toEqual({ received: false, canReshare: true, sharedOut: false });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: 'fed.txt', isFolder: false, size: 25, ownership: { received: false } });
  });
});
