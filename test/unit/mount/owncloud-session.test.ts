import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mountWithBrowserSession, sessionRequestToken } from '@/lib/mount/owncloud-session';
import { problemFrom } from '@/lib/instance/errors';
import { fakeFetch, json } from '../support/fake-fetch';

/** ownCloud 10's Files page as a logged-in browser gets it (captured), with the session's request token in <head>. */
const FILES_PAGE = readFileSync(
  path.resolve(import.meta.dirname, '../../fixtures/captures/owncloud-10.15.2/bob-files-app.html'),
  'utf8',
);
const TOKEN = 'VRshDww7ShsMBQFxGitWSB8ONGASFWJOVQc4CgI/Rgg=:frRKFs/BU21Iwno/g9d7cZQ/gdqBuh4gYEVnOZjbfCg=';
const BASE = 'https://oc.example';
const MOUNT = {
  remote: 'https://alice.example',
  token: 'Link1',
  owner: 'alice',
  ownerDisplayName: 'Alice',
  name: 'Photos',
  password: '',
};

afterEach(() => vi.unstubAllGlobals());

describe('ownCloud 10 with the browser’s session', () => {
  it('reads the request token from the Files page (done while the confirmation is open)', async () => {
    const { impl, requests } = fakeFetch({ 'GET /index.php/apps/files/': () => new Response(FILES_PAGE) });
    vi.stubGlobal('fetch', impl);
    expect(await sessionRequestToken(BASE)).toBe(TOKEN);
    expect(requests[0]!.credentials).toBe('include');
  });

  it('after "Add", sends only the mount when the token is already known', async () => {
    const { impl, requests } = fakeFetch({ 'POST /index.php/apps/files_sharing/external': () => new Response('') });
    vi.stubGlobal('fetch', impl);
    await mountWithBrowserSession(BASE, MOUNT, TOKEN);
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'POST /index.php/apps/files_sharing/external',
    ]);
    expect(requests[0]!.headers.get('requesttoken')).toBe(TOKEN);
  });

  it('reads a fresh token once when the known one has expired', async () => {
    let posts = 0;
    const { impl, requests } = fakeFetch({
      'POST /index.php/apps/files_sharing/external': () =>
        ++posts === 1
          ? json({ data: { message: 'Token expired. Please reload page.', error: 'token_expired' }, status: 'error' })
          : new Response(''),
      'GET /index.php/apps/files/': () => new Response(FILES_PAGE),
    });
    vi.stubGlobal('fetch', impl);
    await mountWithBrowserSession(BASE, MOUNT, 'stale-token');
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'POST /index.php/apps/files_sharing/external',
      'GET /index.php/apps/files/',
      'POST /index.php/apps/files_sharing/external',
    ]);
  });

  it('says there is no session (the next path, ownCloud’s own page, takes over) when the browser is logged out', async () => {
    const { impl } = fakeFetch({
      'GET /index.php/apps/files/': () => new Response(null, { status: 303, headers: { Location: '/login' } }),
    });
    vi.stubGlobal('fetch', impl);
    const error = await mountWithBrowserSession(BASE, MOUNT).catch((e: unknown) => e);
    expect(problemFrom(error, 'instance', 'bob@oc.example')).toEqual({ code: 'instance-no-session', server: BASE });
  });
});
