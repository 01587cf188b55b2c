import { describe, expect, it } from 'vitest';
import { performSharerRequest } from '@/lib/sharer/perform';
import { fakeFetch, json } from '../support/fake-fetch';

const tab = 'https://nc.example/nextcloud/index.php/s/AbCdEf123456789';

describe('performSharerRequest (runs in the share tab)', () => {
  it('asks the tab’s own server for createFederatedShare with the token from the tab URL', async () => {
    const { impl, requests } = fakeFetch({
      'POST /nextcloud/index.php/apps/federatedfilesharing/createFederatedShare': () =>
        json({ remoteUrl: 'bob.example' }),
    });
    const answer = await performSharerRequest(
      tab,
      { op: 'createFederatedShare', token: 'AbCdEf123456789', shareWith: 'bob@bob.example', password: 'pw' },
      impl,
    );
    expect(answer).toEqual({ status: 200, body: '{"remoteUrl":"bob.example"}' });
    const form = new URLSearchParams(requests[0]!.body);
    expect(Object.fromEntries(form)).toEqual({
      shareWith: 'bob@bob.example',
      token: 'AbCdEf123456789',
      password: 'pw',
    });
    expect(requests[0]!.url.origin).toBe('https://nc.example');
  });

  it('asks shareinfo with the token in query and body, without cookies', async () => {
    const { impl, requests } = fakeFetch({
      'POST /nextcloud/index.php/apps/files_sharing/shareinfo': () => json({ data: { name: 'Docs', type: 'dir' } }),
    });
    const answer = await performSharerRequest(tab, { op: 'shareinfo', token: 'AbCdEf123456789', password: 'pw' }, impl);
    expect(answer.status).toBe(200);
    expect(requests[0]!.url.searchParams.get('t')).toBe('AbCdEf123456789');
    expect(new URLSearchParams(requests[0]!.body).get('t')).toBe('AbCdEf123456789');
    expect(requests[0]!.credentials).toBe('omit');
  });

  it('asks the tab’s own server for tokeninfo (oCIS), without cookies, and only for the tab’s token', async () => {
    const { impl, requests } = fakeFetch({
      'GET /nextcloud/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/AbCdEf123456789': () =>
        json({ ocs: { meta: { statuscode: 100 } } }),
    });
    const answer = await performSharerRequest(tab, { op: 'tokeninfo', token: 'AbCdEf123456789' }, impl);
    expect(answer.status).toBe(200);
    expect(requests[0]!.url.origin).toBe('https://nc.example');
    expect(requests[0]!.credentials).toBe('omit');
    expect((await performSharerRequest(tab, { op: 'tokeninfo', token: 'Other0000000' }, impl)).status).toBe(0);
    expect(requests).toHaveLength(1);
  });

  it('PROPFINDs the link’s public WebDAV (oCIS), anonymously or with Basic public:PASSWORD, only for the tab’s token', async () => {
    const ocisTab = 'https://ocis.example/s/yDoZmSwPOPbklPP';
    const { impl, requests } = fakeFetch({
      'PROPFIND /remote.php/dav/public-files/yDoZmSwPOPbklPP/': () =>
        new Response('<d:multistatus xmlns:d="DAV:"/>', { status: 207 }),
    });
    const anonymous = await performSharerRequest(
      ocisTab,
      { op: 'publicdav', token: 'yDoZmSwPOPbklPP', password: '', depth: 0 },
      impl,
    );
    expect(anonymous.status).toBe(207);
    expect(requests[0]!.method).toBe('PROPFIND');
    expect(requests[0]!.headers.get('depth')).toBe('0');
    expect(requests[0]!.headers.has('authorization')).toBe(false);
    expect(requests[0]!.credentials).toBe('omit');
    await performSharerRequest(
      ocisTab,
      { op: 'publicdav', token: 'yDoZmSwPOPbklPP', password: 'Secret-123!', depth: 1 },
      impl,
    );
    expect(requests[1]!.headers.get('depth')).toBe('1');
    expect(atob(requests[1]!.headers.get('authorization')!.replace('Basic ', ''))).toBe('public:Secret-123!');
    expect(
      (await performSharerRequest(ocisTab, { op: 'publicdav', token: 'OtherToken', password: 'x', depth: 0 }, impl))
        .status,
    ).toBe(0);
    expect(requests).toHaveLength(2);
  });

  it('refuses to speak about a share other than the tab’s, or when the tab moved on', async () => {
    const { impl, requests } = fakeFetch({});
    expect(
      await performSharerRequest(
        tab,
        { op: 'createFederatedShare', token: 'Other0000000', shareWith: 'x@y', password: '' },
        impl,
      ),
    ).toEqual({
      status: 0,
      body: 'This tab shows another share.',
    });
    expect(
      (await performSharerRequest(tab, { op: 'shareinfo', token: 'Other0000000', password: '' }, impl)).status,
    ).toBe(0);
    expect(await performSharerRequest('https://nc.example/apps/files/', { op: 'status' }, impl)).toEqual({
      status: 0,
      body: 'This tab no longer shows the share.',
    });
    expect(requests).toHaveLength(0);
  });

  it('reads status.php of the sharer and reports network failures as status 0', async () => {
    const { impl } = fakeFetch({ 'GET /nextcloud/status.php': () => json({ installed: true }) });
    expect(await performSharerRequest(tab, { op: 'status' }, impl)).toEqual({
      status: 200,
      body: '{"installed":true}',
    });
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await performSharerRequest(tab, { op: 'status' }, down)).toEqual({ status: 0, body: '' });
  });
});
