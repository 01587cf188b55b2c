import { describe, expect, it } from 'vitest';
import { InstanceClient } from '@/lib/instance/client';
import { problemFrom } from '@/lib/instance/errors';
import { fakeFetch, json, ocs } from '../support/fake-fetch';
import { failure } from '../support/failure';

const base = 'https://cloud.example.com/nc';
const client = (impl: typeof fetch) =>
  new InstanceClient({ baseUrl: base, loginName: 'bob@example.org', appPassword: 'app-secret-ü' }, { fetchImpl: impl });

/** A public link to mount, for the tests that are about the answer, not the request. */
const ANY_LINK = { remote: 'https://a.example', token: 'T', owner: '', ownerDisplayName: '', name: 'x', password: '' };

describe('InstanceClient', () => {
  it('authenticates with the app password only, without cookies, and reads the account', async () => {
    const { impl, requests } = fakeFetch({
      'GET /nc/ocs/v2.php/cloud/user': () => ocs({ id: 'bob', 'display-name': 'Bob' }),
    });
    expect(await client(impl).currentUser()).toEqual({ id: 'bob', displayName: 'Bob' });
    const [request] = requests;
    expect(request!.credentials).toBe('omit');
    expect(request!.headers.get('OCS-APIRequest')).toBe('true');
    expect(request!.url.searchParams.get('format')).toBe('json');
    const decoded = new TextDecoder().decode(
      Uint8Array.from(atob(request!.headers.get('Authorization')!.slice(6)), (c) => c.charCodeAt(0)),
    );
    expect(decoded).toBe('bob@example.org:app-secret-ü');
  });

  it('lists pending remote shares in ownCloud’s string shape and accepts one', async () => {
    const { impl, requests } = fakeFetch({
      'GET /nc/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending': () =>
        ocs([
          {
            id: '6',
            remote: 'http://127.0.0.1:8101/',
            remote_id: '6',
            share_token: 'secret',
            name: '/Fed Folder',
            owner: 'alice',
            user: 'bob',
            mountpoint: '{{TemporaryMountPointName#/Fed Folder}}',
            accepted: '0',
          },
        ]),
      'POST /nc/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending/6': () =>
        ocs([{ state: 0, file_target: '/Fed Folder' }]),
    });
    const api = client(impl);
    const [pending] = await api.pendingRemoteShares();
    expect(pending).toMatchObject({
      id: '6',
      remote: 'http://127.0.0.1:8101',
      name: '/Fed Folder',
      owner: 'alice',
      accepted: false,
    });
    await api.acceptRemoteShare(pending!.id);
    expect(requests.at(-1)!.method).toBe('POST');
  });

  it('mounts a public link: an empty 200 is success', async () => {
    const { impl, requests } = fakeFetch({
      'POST /nc/index.php/apps/files_sharing/external': () => new Response('', { status: 200 }),
    });
    await client(impl).mountPublicLink({
      remote: 'http://127.0.0.1:8101',
      token: 'Tok123',
      owner: 'alice',
      ownerDisplayName: 'Alice',
      name: 'Shared Folder',
      password: '',
    });
    const form = new URLSearchParams(requests[0]!.body);
    expect(form.get('remote')).toBe('http://127.0.0.1:8101');
    expect(form.get('name')).toBe('Shared Folder');
  });

  it.each([
    [
      { data: { message: 'Could not authenticate to federated share, password might be wrong' }, status: 'error' },
      { code: 'password-wrong' },
    ],
    [
      { data: { message: 'Remote is unreachable' }, status: 'error' },
      { code: 'instance-cannot-reach-sharer', server: 'https://a.example' },
    ],
    [
      { data: { message: 'Token expired. Please reload page.', error: 'token_expired' }, status: 'error' },
      { code: 'instance-rejected', server: 'bob@cloud.example.com/nc' },
    ],
    [{ status: 'error' }, { code: 'instance-rejected', server: 'bob@cloud.example.com/nc' }],
  ])('reports the mount errors that ownCloud sends with HTTP 200 as problems, not its words', async (body, problem) => {
    const { impl } = fakeFetch({ 'POST /nc/index.php/apps/files_sharing/external': () => json(body) });
    const error = await failure(client(impl).mountPublicLink(ANY_LINK));
    expect(problemFrom(error, 'instance', 'bob@cloud.example.com/nc')).toEqual(problem);
    expect(error.code).toBe('rejected');
  });

  it('turns a revoked app password, server errors, garbage, and an unreachable server into specific errors', async () => {
    const unauthorized = fakeFetch({ 'GET /nc/ocs/v2.php/cloud/user': () => ocs([], 997, 'Unauthorised') });
    expect((await failure(client(unauthorized.impl).currentUser())).code).toBe('unauthorized');

    const html401 = fakeFetch({
      'GET /nc/ocs/v2.php/cloud/user': () => new Response('<html>login</html>', { status: 401 }),
    });
    expect((await failure(client(html401.impl).currentUser())).code).toBe('unauthorized');

    const broken = fakeFetch({ 'GET /nc/ocs/v2.php/cloud/user': () => ocs(null, 500, 'database is locked') });
    const serverError = await failure(client(broken.impl).currentUser());
    expect(serverError.code).toBe('server-error');
    // The server's own words ("database is locked") are not for the user; a read was tried twice.
    expect(serverError.message).toBe('server-error');
    expect(broken.requests).toHaveLength(2);

    const garbage = fakeFetch({
      'GET /nc/ocs/v2.php/cloud/user': () => new Response('<?php echo "hi";', { status: 200 }),
    });
    expect((await failure(client(garbage.impl).currentUser())).code).toBe('bad-response');

    const noId = fakeFetch({ 'GET /nc/ocs/v2.php/cloud/user': () => ocs({ 'display-name': 'Nobody' }) });
    expect((await failure(client(noId.impl).currentUser())).code).toBe('bad-response');

    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect((await failure(client(down).currentUser())).code).toBe('unreachable');

    const redirect = fakeFetch({
      'GET /nc/ocs/v2.php/cloud/user': () => new Response(null, { status: 302, headers: { Location: '/login' } }),
    });
    expect((await failure(client(redirect.impl).currentUser())).failure).toBe('redirected');
  });

  it('verifies a mount with PROPFIND depth 0 on the user’s WebDAV tree', async () => {
    const { impl, requests } = fakeFetch({
      'PROPFIND /nc/remote.php/dav/files/bob%40example.org/Shared%20Folder': () =>
        new Response('<d:multistatus/>', { status: 207 }),
    });
    const api = client(impl);
    expect(await api.pathExists('/Shared Folder')).toBe(true);
    expect(requests[0]!.headers.get('Depth')).toBe('0');
    expect(await api.pathExists('/Missing')).toBe(false);
  });

  it('revokes its app password', async () => {
    const { impl, requests } = fakeFetch({ 'DELETE /nc/ocs/v2.php/core/apppassword': () => ocs([]) });
    await client(impl).revokeAppPassword();
    expect(requests).toHaveLength(1);
  });

  it('proves every call is no cross-site form (OCS-APIRequest: true), which Nextcloud 31 and the companion require', async () => {
    const { impl, requests } = fakeFetch({
      'GET /nc/ocs/v2.php/cloud/user': () => ocs({ id: 'bob' }),
      'POST /nc/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending/6': () => ocs([]),
      'POST /nc/index.php/apps/files_sharing/external': () => new Response('', { status: 200 }),
      'POST /nc/ocs/v2.php/apps/files_sharing/api/v1/shares': () => ocs({ id: '1' }),
      'DELETE /nc/ocs/v2.php/core/apppassword': () => ocs([]),
      'PROPFIND /nc/remote.php/dav/files/bob%40example.org/x': () => new Response('<d:multistatus/>', { status: 207 }),
    });
    const api = client(impl);
    await api.currentUser();
    await api.acceptRemoteShare('6');
    await api.mountPublicLink(ANY_LINK);
    await api.shareWithCloudId('/x', 'alice@a.example');
    await api.revokeAppPassword();
    await api.pathExists('/x');
    expect(requests).toHaveLength(6);
    for (const request of requests)
      expect(request.headers.get('OCS-APIRequest'), `${request.method} ${request.url.pathname}`).toBe('true');
  });
});
