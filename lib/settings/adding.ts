import { readSettings, writeSettings } from './stored';

/** The user's choices for adding a share to their cloud, set on the options page. */
export interface AddSettings {
  /** Ask before adding (the confirmation window waits for "Add"); off: the add starts as the window opens. */
  confirmBeforeAdding: boolean;
}

export const ADD_DEFAULTS: AddSettings = { confirmBeforeAdding: true };

/** A stored value that is not a boolean falls back to the default, so a broken entry cannot break the confirmation. */
function normaliseAddSettings(value: Record<string, unknown>): AddSettings {
  return {
    confirmBeforeAdding:
      typeof value.confirmBeforeAdding === 'boolean' ? value.confirmBeforeAdding : ADD_DEFAULTS.confirmBeforeAdding,
  };
}

export async function loadAddSettings(): Promise<AddSettings> {
  return normaliseAddSettings(await readSettings());
}

export async function saveAddSettings(settings: AddSettings): Promise<AddSettings> {
  const clean = normaliseAddSettings({ ...settings });
  await writeSettings(clean);
  return clean;
}
