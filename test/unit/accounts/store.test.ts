import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { clear, createStore } from 'idb-keyval';
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
  await clear(createStore('add-to-cloud', 'accounts'));
  await clear(createStore('add-to-cloud-history', 'history'));
});

describe('account store', () => {
  it('keeps the app password in extension-local storage only, apart from the account', async () => {
    await saveAccount(account('one'), 'secret-app-password');
    expect(await getAppPassword('one')).toBe('secret-app-password');
    expect(JSON.stringify(await listAccounts())).not.toContain('secret-app-password');
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
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
