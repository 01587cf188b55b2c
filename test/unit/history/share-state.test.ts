import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clear, createStore } from 'idb-keyval';
import { saveAccount } from '@/lib/accounts/store';
import { openInCloudForPage, shareStateForPage } from '@/lib/background/share-state';
import { historyIdentity } from '@/lib/history/identity';
import { listHistory, recordHistory, removeHistory } from '@/lib/history/store';
import type { PendingConfirmation } from '@/lib/messaging/protocol';

const TOKEN = 'AbCdEf123456';
const pending: PendingConfirmation = {
  tabId: 7,
  origin: 'https://alice.example',
  basePath: '',
  shareUrl: `https://alice.example/s/${TOKEN}`,
  claims: { kind: 'nextcloud', name: 'Photos', isFolder: true, isProtected: false, canFederate: true },
  requestedAt: 1,
};

async function recordAdd(result: 'mounted' | 'failed', id = 'e1') {
  await recordHistory({
    id,
    at: Date.now(),
    sharerOrigin: pending.origin,
    accountId: 'bob',
    accountLabel: 'bob@cloud.example',
    result,
    ...(result === 'mounted' && { path: '/Photos' }),
    ...(await historyIdentity(pending)),
  });
}

beforeEach(async () => {
  await clear(createStore('add-to-cloud', 'accounts'));
  await clear(createStore('add-to-cloud-history', 'history'));
});

describe('the share page’s state, answered from the history', () => {
  it('stores a hash of the share, never its token or link', async () => {
    await recordAdd('mounted');
    const stored = JSON.stringify(await listHistory());
    expect(stored).not.toContain(TOKEN);
    expect((await listHistory())[0]!.shareKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('knows the share again under every URL shape of the same link, and no other', async () => {
    await recordAdd('mounted');
    for (const url of [
      `https://alice.example/s/${TOKEN}`,
      `https://alice.example/index.php/s/${TOKEN}/authenticate/showShare`,
      `https://alice.example/s/${TOKEN}#x`,
    ]) {
      expect(await shareStateForPage(url), url).toEqual({ inCloud: true });
    }
    for (const url of [
      `https://mallory.example/s/${TOKEN}`,
      'https://alice.example/s/Other1234567',
      'https://alice.example/apps/files',
      undefined,
    ]) {
      expect(await shareStateForPage(url), String(url)).toEqual({ inCloud: false });
    }
  });

  it('is not in the cloud after a failed add, nor once the entry is removed', async () => {
    await recordAdd('failed', 'f');
    expect(await shareStateForPage(pending.shareUrl)).toEqual({ inCloud: false });
    await recordAdd('mounted', 'm');
    await removeHistory('m');
    expect(await shareStateForPage(pending.shareUrl)).toEqual({ inCloud: false });
  });

  it('opens the account’s files app at the added folder, and nothing for an unknown share', async () => {
    await saveAccount(
      {
        id: 'bob',
        baseUrl: 'https://cloud.example',
        kind: 'nextcloud',
        version: '31.0.4',
        productName: 'Nextcloud',
        userId: 'bob',
        loginName: 'bob',
        displayName: 'Bob',
        cloudId: 'bob@cloud.example',
        addedAt: 1,
      },
      'app-password',
    );
    await recordAdd('mounted');
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    expect(await openInCloudForPage('https://alice.example/s/Other1234567')).toEqual({ opened: false });
    expect(create).not.toHaveBeenCalled();
    expect(await openInCloudForPage(pending.shareUrl)).toEqual({ opened: true });
    expect(create).toHaveBeenCalledWith({ url: 'https://cloud.example/index.php/apps/files/?dir=%2FPhotos' });
  });
});
