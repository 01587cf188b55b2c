import { clear, createStore } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveAccount, setDefaultAccount, type Account } from '@/lib/accounts/store';
import { createShareOutApi } from '@/lib/share-out/api';
import { fakeFetch, ocs } from '../support/fake-fetch';

const account = (id: string, over: Partial<Account> = {}): Account => ({
  id,
  baseUrl: `https://${id}.example.com`,
  kind: 'nextcloud',
  version: '31.0.2',
  productName: 'Nextcloud',
  userId: id,
  loginName: id,
  displayName: id[0]!.toUpperCase() + id.slice(1),
  cloudId: `${id}@${id}.example.com`,
  addedAt: 1,
  ...over,
});
const NO_LINK = { isFolder: true, permissions: 'view-upload' as const, password: '', expireDate: '', label: '' };

beforeEach(async () => {
  await clear(createStore('add-to-cloud', 'accounts'));
  await saveAccount(account('alice'), 'alice-app-pw');
  await saveAccount(account('bridge', { kind: 'companion', isBridge: true }), 'bridge-app-pw');
  await saveAccount(
    account('carol', { kind: 'owncloud', productName: 'ownCloud', version: '10.15.2' }),
    'carol-app-pw',
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('the popup’s share-out api', () => {
  it('offers the connected clouds, the default first, never the bridge', async () => {
    const api = createShareOutApi();
    expect((await api.accounts()).map((a) => [a.id, a.isDefault])).toEqual([
      ['alice', true],
      ['carol', false],
    ]);
    await setDefaultAccount('carol');
    expect((await api.accounts()).map((a) => [a.id, a.isDefault])).toEqual([
      ['carol', true],
      ['alice', false],
    ]);
    expect((await api.accounts())[0]).toEqual({
      id: 'carol',
      displayName: 'Carol',
      cloudId: 'carol@carol.example.com',
      isDefault: true,
    });
  });

  it('speaks to the chosen account’s cloud with its own app password and its server’s permission bits', async () => {
    const created = { id: '3', share_type: 3, url: 'https://carol.example.com/s/AbC', permissions: 5 };
    const { impl, requests } = fakeFetch({ 'POST /ocs/v2.php/apps/files_sharing/api/v1/shares': () => ocs(created) });
    vi.stubGlobal('fetch', impl);
    const api = createShareOutApi();
    await api.forAccount('carol').createLink('/Inbox', NO_LINK);
    await api.createLink('/Inbox', NO_LINK);
    expect(requests.map((r) => [r.url.host, atob(r.headers.get('Authorization')!.slice(6))])).toEqual([
      ['carol.example.com', 'carol:carol-app-pw'],
      ['alice.example.com', 'alice:alice-app-pw'],
    ]);
    expect(requests.map((r) => new URLSearchParams(r.body).get('permissions'))).toEqual(['5', '5']);
    // One api per account, kept: its connection is reused.
    expect(api.forAccount('carol')).toBe(api.forAccount('carol'));
  });

  it('refuses the bridge and unknown accounts like a revoked password', async () => {
    const api = createShareOutApi();
    await expect(api.forAccount('bridge').list('/')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(api.forAccount('nobody').list('/')).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
