import type { DefaultsApi } from '@/lib/ui/options-api';
import { loadDefaults, saveDefaults } from '@/lib/share-out/settings';
import { loadAddSettings, saveAddSettings } from './adding';

/**
 * The options page's one "Defaults" form: the share-out defaults and the add settings, each kept by its own module
 * (lib/share-out/settings.ts, ./adding.ts). Only this page puts them side by side; neither module knows the other.
 */
export const createDefaultsApi = (): DefaultsApi => ({
  load: async () => ({ ...(await loadDefaults()), ...(await loadAddSettings()) }),
  save: async ({ confirmBeforeAdding, ...share }) => ({
    ...(await saveDefaults(share)),
    ...(await saveAddSettings({ confirmBeforeAdding })),
  }),
});
