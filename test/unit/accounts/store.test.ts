import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { clear, createStore, get } from 'idb-keyval';
import {
  getAccount,
  getAppPassword,
  getDefaultAccount,
  listAccounts,
  removeAccount,
  saveAccount,
  setDefaultAccount,
  type Account,
} from '@/lib/accounts/store';
import { HISTORY_LIMIT, listHistory, recordHistory } from '@/lib/history/store';

const account = (id: string, over: Partial<Account> = {}): Account => ({
  id,
  baseUrl: `https://${id}.example.com`,
  kind: 'nextcloud',
  version: '31.0.4',
  productName: 'Nextcloud',
  userId: 'bob',
  loginName: 'bob',
  displayName: 'Bob',
  cloudId: `bob@${id}.example.com`,
  addedAt: 1,
  ...over,
});

beforeEach(async () => {
  fakeBrowser.reset();
  await clear(createStore('add-to-cloud', 'accounts'));
  await clear(createStore('add-to-cloud-secrets', 'app-passwords'));
  await clear(createStore('add-to-cloud-history', 'history'));
});

describe('account store', () => {
  it('keeps the app password in the extension IndexedDB only, apart from the account', async () => {
    await saveAccount(account('one'), 'secret-app-password');
    expect(await getAppPassword('one')).toBe('secret-app-password');
    expect(JSON.stringify(await listAccounts())).not.toContain('secret-app-password');
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
  });

  it('keeps app passwords out of storage.local, which content scripts can read', async () => {
    await saveAccount(account('one'), 'secret-app-password');
    await saveAccount(account('bridge', { kind: 'companion', isBridge: true }), 'bridge-app-password');
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toMatch(/app-password/);
    expect(await get('one', createStore('add-to-cloud-secrets', 'app-passwords'))).toBe('secret-app-password');
    expect(await getAppPassword('bridge')).toBe('bridge-app-password');
  });

  it('moves an app password an older version left in storage.local into IndexedDB on first read', async () => {
    await saveAccount(account('one'), 'placeholder');
    await clear(createStore('add-to-cloud-secrets', 'app-passwords'));
    await fakeBrowser.storage.local.set({ 'app-password:one': 'legacy-app-password', unrelated: 'kept' });

    expect(await getAppPassword('one')).toBe('legacy-app-password');
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ unrelated: 'kept' });
    expect(await get('one', createStore('add-to-cloud-secrets', 'app-passwords'))).toBe('legacy-app-password');
    expect(await getAppPassword('one')).toBe('legacy-app-password');
    expect(await getAppPassword('nobody')).toBeUndefined();
  });

  it('removes a not yet moved app password from storage.local on disconnect', async () => {
    await saveAccount(account('one'), 'placeholder');
    await clear(createStore('add-to-cloud-secrets', 'app-passwords'));
    await fakeBrowser.storage.local.set({ 'app-password:one': 'legacy-app-password' });
    await removeAccount('one');
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    expect(await getAppPassword('one')).toBeUndefined();
  });

  it('makes the first account the default and lets the user choose another', async () => {
    await saveAccount(account('one'), 'a');
    await saveAccount(account('two'), 'b');
    expect((await getDefaultAccount())?.id).toBe('one');
    await setDefaultAccount('two');
    expect((await getDefaultAccount())?.id).toBe('two');
    await expect(setDefaultAccount('nope')).rejects.toThrow('no such account');
  });

  it('replaces rather than duplicates a reconnected account, keeping its id', async () => {
    await saveAccount(account('one'), 'old');
    await saveAccount(account('other-id', { baseUrl: 'https://one.example.com', version: '32.0.0' }), 'new');
    const accounts = await listAccounts();
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ id: 'one', version: '32.0.0' });
    expect(await getAppPassword('one')).toBe('new');
  });

  it('forgets the account and its password on removal and moves the default on', async () => {
    await saveAccount(account('one'), 'a');
    await saveAccount(account('two'), 'b');
    await removeAccount('one');
    expect(await getAccount('one')).toBeUndefined();
    expect(await getAppPassword('one')).toBeUndefined();
    expect((await getDefaultAccount())?.id).toBe('two');
    await removeAccount('two');
    expect(await getDefaultAccount()).toBeUndefined();
  });

  it('never makes a bridge the default instance', async () => {
    await saveAccount(account('bridge', { kind: 'companion', isBridge: true }), 'x');
    expect(await getDefaultAccount()).toBeUndefined();
    await saveAccount(account('home'), 'y');
    expect((await getDefaultAccount())?.id).toBe('home');
  });
});

describe('history', () => {
  it('keeps the newest first and stops growing at the limit', async () => {
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) {
      await recordHistory({
        id: `e${i}`,
        at: i,
        sharerOrigin: 'https://a.example',
        accountId: 'one',
        accountLabel: 'bob',
        result: 'mounted',
      });
    }
    const entries = await listHistory();
    expect(entries).toHaveLength(HISTORY_LIMIT);
    expect(entries[0]!.id).toBe(`e${HISTORY_LIMIT + 4}`);
  });
});
