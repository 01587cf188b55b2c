import { fakeBrowser } from 'wxt/testing/fake-browser';
import { describe, expect, it } from 'vitest';
import { ADD_DEFAULTS, loadAddSettings, saveAddSettings } from '@/lib/settings/adding';
import { loadDefaults, saveDefaults } from '@/lib/share-out/settings';

describe('add settings', () => {
  it('ask before adding by default, and survive a save', async () => {
    expect(await loadAddSettings()).toEqual(ADD_DEFAULTS);
    await saveAddSettings({ confirmBeforeAdding: false });
    expect(await loadAddSettings()).toEqual({ confirmBeforeAdding: false });
  });

  it('read the choice existing users stored with the share defaults', async () => {
    await fakeBrowser.storage.local.set({
      'share-defaults': { expiryDays: 30, passwordByDefault: false, confirmBeforeAdding: false },
    });
    expect(await loadAddSettings()).toEqual({ confirmBeforeAdding: false });
    expect(await loadDefaults()).toEqual({ expiryDays: 30, passwordByDefault: false });
  });

  it('and the share defaults keep each other’s fields when either is saved', async () => {
    await saveAddSettings({ confirmBeforeAdding: false });
    await saveDefaults({ expiryDays: 3, passwordByDefault: true });
    expect(await loadAddSettings()).toEqual({ confirmBeforeAdding: false });
    await saveAddSettings({ confirmBeforeAdding: true });
    expect(await loadDefaults()).toEqual({ expiryDays: 3, passwordByDefault: true });
    expect((await fakeBrowser.storage.local.get('share-defaults'))['share-defaults']).toEqual({
      expiryDays: 3,
      passwordByDefault: true,
      confirmBeforeAdding: true,
    });
  });

  it('fall back to asking for a broken entry', async () => {
    await fakeBrowser.storage.local.set({ 'share-defaults': { confirmBeforeAdding: 'no' } });
    expect(await loadAddSettings()).toEqual(ADD_DEFAULTS);
    await fakeBrowser.storage.local.set({ 'share-defaults': 'garbage' });
    expect(await loadAddSettings()).toEqual(ADD_DEFAULTS);
  });
});
