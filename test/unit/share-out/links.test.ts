import { describe, expect, it } from 'vitest';
import { InstanceClient } from '@/lib/instance/client';
import { errorText } from '@/components/share-out/error-text';
import {
  createLink,
  fetchCapabilities,
  isCloudId,
  listShares,
  revokeShare,
  shareWithCloudId,
} from '@/lib/share-out/links';
import { fakeFetch, json, ocs } from '../support/fake-fetch';
import { failure } from '../support/failure';

const SHARES = '/nc/ocs/v2.php/apps/files_sharing/api/v1/shares';
const client = (impl: typeof fetch) =>
  new InstanceClient(
    { baseUrl: 'https://cloud.example.com/nc', loginName: 'alice', appPassword: 'app-pw' },
    { fetchImpl: impl },
  );

const ocLink = {
  id: '7',
  share_type: 3,
  token: 'AbC',
  url: 'https://cloud.example.com/nc/s/AbC',
  permissions: 1,
  expiration: '2026-12-01 00:00:00',
  name: 'For Bob',
  share_with: '***redacted***',
};
const ncLink = {
  id: 8,
  share_type: 3,
  url: 'https://cloud.example.com/nc/s/XyZ',
  permissions: 15,
  expiration: null,
  label: '',
  password: null,
};
const fedShare = { id: 9, share_type: 6, share_with: 'carol@other.example' };

describe('createLink', () => {
  it('posts path, type 3, permission bits, password, expiry and the label under both names', async () => {
    const { impl, requests } = fakeFetch({ [`POST ${SHARES}`]: () => ocs(ocLink) });
    const link = await createLink(
      client(impl),
      '/Q4 & plans',
      { isFolder: true, permissions: 'view', password: 'pw-123', expireDate: '2026-12-01', label: 'For Bob' },
      'nextcloud',
    );
    expect(link).toEqual({
      id: '7',
      url: 'https://cloud.example.com/nc/s/AbC',
      permissions: 1,
      expireDate: '2026-12-01',
      label: 'For Bob',
      hasPassword: true,
    });
    const form = new URLSearchParams(requests[0]!.body);
    expect(Object.fromEntries(form)).toEqual({
      path: '/Q4 & plans',
      shareType: '3',
      permissions: '1',
      password: 'pw-123',
      expireDate: '2026-12-01',
      name: 'For Bob',
      label: 'For Bob',
    });
    expect(requests[0]!.credentials).toBe('omit');
  });

  it('leaves out what was not chosen, and asks 4 for a file drop', async () => {
    const { impl, requests } = fakeFetch({ [`POST ${SHARES}`]: () => ocs({ ...ncLink, permissions: 4 }) });
    await createLink(
      client(impl),
      '/Drop',
      { isFolder: true, permissions: 'upload-only', password: '', expireDate: '', label: '' },
      'nextcloud',
    );
    expect(Object.fromEntries(new URLSearchParams(requests[0]!.body))).toEqual({
      path: '/Drop',
      shareType: '3',
      permissions: '4',
    });
  });

  it('asks read+create (5) for view+upload on ownCloud 10 and Nextcloud, never publicUpload', async () => {
    for (const kind of ['owncloud', 'nextcloud'] as const) {
      const { impl, requests } = fakeFetch({ [`POST ${SHARES}`]: () => ocs({ ...ncLink, permissions: 5 }) });
      await createLink(
        client(impl),
        '/Inbox',
        { isFolder: true, permissions: 'view-upload', password: '', expireDate: '', label: '' },
        kind,
      );
      expect(Object.fromEntries(new URLSearchParams(requests[0]!.body))).toEqual({
        path: '/Inbox',
        shareType: '3',
        permissions: '5',
      });
    }
  });

  /** The error of creating a plain view link to the file /A on Nextcloud, when the server answers `answer`. */
  const failedViewLink = (answer: () => Response) =>
    failure(
      createLink(
        client(fakeFetch({ [`POST ${SHARES}`]: answer }).impl),
        '/A',
        { isFolder: false, permissions: 'view', password: '', expireDate: '', label: '' },
        'nextcloud',
      ),
    );

  it('turns the server’s policy refusal into words the user can act on', async () => {
    const error = await failedViewLink(() => ocs(null, 403, 'Passwords are enforced for link shares'));
    expect(errorText(error)).toBe(
      'Your cloud refused: “Passwords are enforced for link shares”. Change what it names and try again.',
    );
  });

  it('asks to reconnect when the app password was revoked (401)', async () => {
    const error = await failedViewLink(() => ocs(null, 997, 'Unauthorised'));
    expect(error.code).toBe('unauthorized');
    expect(errorText(error)).toContain('Reconnect this account in the settings');
  });

  it('refuses an answer without a link', async () => {
    expect((await failedViewLink(() => ocs([]))).code).toBe('bad-response');
  });

  it('reports a crashed server as a server error, not as the user’s fault', async () => {
    const error = await failedViewLink(() =>
      json({ ocs: { meta: { statuscode: 500, message: 'boom' }, data: [] } }, 500),
    );
    expect(error.code).toBe('server-error');
    expect(errorText(error)).toBe('Your cloud had an internal error. Try again later.');
  });
});

describe('listShares and revokeShare', () => {
  it('asks for the item’s shares and separates links from cloud shares, in both servers’ shapes', async () => {
    const { impl, requests } = fakeFetch({
      [`GET ${SHARES}`]: () => ocs([ocLink, ncLink, fedShare, { garbage: true }, null]),
    });
    const shares = await listShares(client(impl), '/Reports');
    expect(requests[0]!.url.searchParams.get('path')).toBe('/Reports');
    expect(requests[0]!.url.searchParams.get('reshares')).toBe('true');
    expect(shares.links.map((l) => [l.id, l.hasPassword, l.expireDate, l.label])).toEqual([
      ['7', true, '2026-12-01', 'For Bob'],
      ['8', false, '', ''],
    ]);
    expect(shares.cloud).toEqual([{ id: '9', shareWith: 'carol@other.example' }]);
  });

  it('says so when the item is gone', async () => {
    const { impl } = fakeFetch({ [`GET ${SHARES}`]: () => ocs(null, 404, "Wrong path, file/folder doesn't exist") });
    expect((await failure(listShares(client(impl), '/Gone'))).code).toBe('not-found');
  });

  it('deletes a share by id', async () => {
    const { impl, requests } = fakeFetch({ [`DELETE ${SHARES}/7`]: () => ocs([]) });
    await revokeShare(client(impl), '7');
    expect(requests[0]!.method).toBe('DELETE');
  });
});

describe('shareWithCloudId', () => {
  it('creates a federated user share (type 6)', async () => {
    const { impl, requests } = fakeFetch({ [`POST ${SHARES}`]: () => ocs(fedShare) });
    expect(await shareWithCloudId(client(impl), '/Reports', 'carol@other.example')).toEqual({
      id: '9',
      shareWith: 'carol@other.example',
    });
    expect(Object.fromEntries(new URLSearchParams(requests[0]!.body))).toMatchObject({
      path: '/Reports',
      shareType: '6',
      shareWith: 'carol@other.example',
    });
  });

  it.each([
    ['carol@other.example', true],
    ['carol@example.org@cloud.example.org', true],
    ['carol@http://127.0.0.1:8080', true],
    ['carol', false],
    ['@other.example', false],
    ['carol@', false],
    ['carol @other.example', false],
  ])('isCloudId(%j) is %s', (value, expected) => {
    expect(isCloudId(value)).toBe(expected);
  });
});

describe('fetchCapabilities', () => {
  it('answers the capabilities object, or {} when there is none', async () => {
    const caps = { files_sharing: { public: { enabled: true } } };
    const { impl } = fakeFetch({
      'GET /nc/ocs/v2.php/cloud/capabilities': () => ocs({ version: {}, capabilities: caps }),
    });
    expect(await fetchCapabilities(client(impl))).toEqual(caps);
    const empty = fakeFetch({ 'GET /nc/ocs/v2.php/cloud/capabilities': () => ocs(null) });
    expect(await fetchCapabilities(client(empty.impl))).toEqual({});
  });
});
