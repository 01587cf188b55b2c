import { describe, expect, it } from 'vitest';
import { shareKey } from '@/lib/history/share-key';
import { filesAppUrl, inCloudEntry, shareStateOf } from '@/lib/history/state';
import type { HistoryEntry } from '@/lib/history/store';

const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
  id: crypto.randomUUID(),
  at: 1,
  sharerOrigin: 'https://alice.example',
  accountId: 'acc',
  accountLabel: 'bob@cloud.example',
  result: 'mounted',
  ...over,
});

describe('shareKey', () => {
  it('is a SHA-256 hex digest that never contains the token', async () => {
    const key = await shareKey('https://alice.example', 'AbCdEf123456');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('AbCdEf123456');
    expect(await shareKey('https://alice.example', 'AbCdEf123456')).toBe(key);
  });

  it('tells apart the same token on another origin, and another token on the same origin', async () => {
    const key = await shareKey('https://alice.example', 'AbCdEf123456');
    expect(await shareKey('https://mallory.example', 'AbCdEf123456')).not.toBe(key);
    expect(await shareKey('https://alice.example', 'AbCdEf123457')).not.toBe(key);
  });
});

describe('the state of a share, from the history', () => {
  it('is "in your cloud" after a mount or an already-there, and names the newest such entry', async () => {
    const key = await shareKey('https://alice.example', 'AbCdEf123456');
    const newest = entry({ shareKey: key, result: 'already-mounted', path: '/Photos (2)' });
    const older = entry({ shareKey: key, result: 'mounted', path: '/Photos' });
    expect(inCloudEntry([newest, older], key)).toBe(newest);
    expect(shareStateOf([older], key)).toEqual({ inCloud: true });
  });

  it('is not in the cloud after failures, hand-offs, or adds of other shares', async () => {
    const key = await shareKey('https://alice.example', 'AbCdEf123456');
    const other = await shareKey('https://alice.example', 'Other1234567');
    const entries = [
      entry({ shareKey: key, result: 'failed' }),
      entry({ shareKey: key, result: 'handed-off' }),
      entry({ shareKey: other }),
      entry({}),
    ];
    expect(shareStateOf(entries, key)).toEqual({ inCloud: false });
  });

  it('keeps "in your cloud" when a later attempt of the same share failed', async () => {
    const key = await shareKey('https://alice.example', 'AbCdEf123456');
    expect(
      shareStateOf([entry({ shareKey: key, result: 'failed' }), entry({ shareKey: key, result: 'mounted' })], key),
    ).toEqual({ inCloud: true });
  });
});

describe('filesAppUrl', () => {
  it('opens the files app at the added folder, not the top of the list', () => {
    expect(filesAppUrl('https://cloud.example/sub', '/Shared Folder')).toBe(
      'https://cloud.example/sub/index.php/apps/files/?dir=%2FShared%20Folder',
    );
    expect(filesAppUrl('https://cloud.example/', '/A/B/')).toBe(
      'https://cloud.example/index.php/apps/files/?dir=%2FA%2FB',
    );
  });

  it('opens the folder that holds an added file, and the top when the path is unknown', () => {
    expect(filesAppUrl('https://cloud.example', '/Docs/report.pdf', false)).toBe(
      'https://cloud.example/index.php/apps/files/?dir=%2FDocs',
    );
    expect(filesAppUrl('https://cloud.example', '/report.pdf', false)).toBe(
      'https://cloud.example/index.php/apps/files/?dir=%2F',
    );
    expect(filesAppUrl('https://cloud.example', undefined)).toBe('https://cloud.example/index.php/apps/files/?dir=%2F');
  });
});
