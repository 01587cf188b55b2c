import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { registerContextMenu, releaseAfterAdd } from '@/lib/background/context-menu';
import { loadPending } from '@/lib/confirm/store';
import type { PendingConfirmation } from '@/lib/messaging/protocol';
import { OWNCLOUD_10_STATUS } from '../../fixtures/status-php';

/**
 * The context menu's least privilege, with the browser's menu and permission APIs replaced by recorders (the fake
 * browser has neither): the sharer's origin is asked for at the click, and given back when the add is over or its
 * window closes; an origin the user had granted before is never taken away.
 */
const LINK = 'https://alice.example/index.php/s/AbCdEf123456';

let click: (info: { menuItemId: string | number; linkUrl?: string }) => void;
let granted: Set<string>;
let answerPrompt: boolean;
let opened: PendingConfirmation[];
let windows: number[];

beforeEach(() => {
  granted = new Set();
  answerPrompt = true;
  opened = [];
  windows = [];
  // Firefox's `menus` and Chrome's `contextMenus`: the fake browser has both, implementing neither.
  for (const menus of [fakeBrowser.menus, fakeBrowser.contextMenus] as unknown as Record<string, unknown>[]) {
    menus.removeAll = vi.fn(async () => undefined);
    menus.create = vi.fn();
    menus.onClicked = { addListener: (listener: typeof click) => (click = listener) };
  }
  const permissions = fakeBrowser.permissions as unknown as Record<string, unknown>;
  permissions.contains = vi.fn(async ({ origins }: { origins: string[] }) => origins.every((o) => granted.has(o)));
  permissions.request = vi.fn(async ({ origins }: { origins: string[] }) => {
    if (answerPrompt) origins.forEach((o) => granted.add(o));
    return answerPrompt;
  });
  permissions.remove = vi.fn(async ({ origins }: { origins: string[] }) => origins.forEach((o) => granted.delete(o)));
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) =>
      String(url).endsWith('/status.php')
        ? Response.json(OWNCLOUD_10_STATUS)
        : Response.json({ data: { name: 'Photos', type: 'dir' } }),
    ),
  );
  registerContextMenu(async (pending) => {
    opened.push(pending);
    const { id } = await fakeBrowser.windows.create({ url: 'confirm.html' });
    windows.push(id!);
    return id;
  });
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('Add to your cloud from a link’s context menu', () => {
  it('asks for the sharer’s origin at the click, verifies the link, and opens a confirmation that is no tab’s', async () => {
    click({ menuItemId: 'add-link-to-cloud', linkUrl: LINK });
    await settle();
    expect(fakeBrowser.permissions.request).toHaveBeenCalledWith({ origins: ['https://alice.example/*'] });
    expect(opened).toHaveLength(1);
    const pending = opened[0]!;
    expect(pending).toMatchObject({
      via: 'direct',
      origin: 'https://alice.example',
      shareUrl: LINK,
      claims: { kind: 'owncloud', name: 'Photos', isFolder: true },
    });
    expect(pending.tabId).toBeGreaterThanOrEqual(2 ** 32);
    expect(await loadPending(pending.tabId)).toEqual(pending);
  });

  it('gives the origin back after a successful add, but keeps it after a failure (the user may retry)', async () => {
    click({ menuItemId: 'add-link-to-cloud', linkUrl: LINK });
    await settle();
    await releaseAfterAdd(opened[0]!, { result: 'failed', problem: { code: 'password-wrong' } });
    expect(granted.has('https://alice.example/*')).toBe(true);
    await releaseAfterAdd(opened[0]!, { result: 'mounted', path: '/Photos' });
    expect(granted.has('https://alice.example/*')).toBe(false);
  });

  it('gives the origin back and drops the confirmation when its window is closed', async () => {
    click({ menuItemId: 'add-link-to-cloud', linkUrl: LINK });
    await settle();
    await fakeBrowser.windows.remove(windows[0]!);
    await settle();
    expect(granted.has('https://alice.example/*')).toBe(false);
    expect(await loadPending(opened[0]!.tabId)).toBeNull();
  });

  it('never takes away an origin the user had granted before', async () => {
    granted.add('https://alice.example/*');
    click({ menuItemId: 'add-link-to-cloud', linkUrl: LINK });
    await settle();
    await releaseAfterAdd(opened[0]!, { result: 'mounted', path: '/Photos' });
    await fakeBrowser.windows.remove(windows[0]!);
    await settle();
    expect(granted.has('https://alice.example/*')).toBe(true);
  });

  it('opens the link in a tab when the user refuses, and sends nothing to the sharer', async () => {
    answerPrompt = false;
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    click({ menuItemId: 'add-link-to-cloud', linkUrl: LINK });
    await settle();
    expect(create).toHaveBeenCalledWith({ url: LINK });
    expect(fetch).not.toHaveBeenCalled();
    expect(opened).toHaveLength(0);
  });

  it('ignores links that are no share link after all, and other menu entries', async () => {
    click({ menuItemId: 'add-link-to-cloud', linkUrl: 'https://blog.example/s/a' });
    click({ menuItemId: 'something-else', linkUrl: LINK });
    await settle();
    expect(fakeBrowser.permissions.request).not.toHaveBeenCalled();
    expect(opened).toHaveLength(0);
  });
});
