import { readSettings, writeSettings } from '@/lib/settings/stored';

/** The user's defaults for sharing out, set on the options page. */
export interface ShareDefaults {
  /** Days until a new link expires; 0 = no expiry unless the server enforces one. */
  expiryDays: number;
  /** Offer a generated password on every new link. */
  passwordByDefault: boolean;
}

export const DEFAULTS: ShareDefaults = { expiryDays: 7, passwordByDefault: true };
export const MAX_EXPIRY_DAYS = 3650;

/** Anything stored that is not a sane value falls back to the default, so a broken entry cannot break the popup. */
export function normaliseDefaults(value: unknown): ShareDefaults {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const days = Number(v.expiryDays);
  return {
    expiryDays: Number.isInteger(days) && days >= 0 && days <= MAX_EXPIRY_DAYS ? days : DEFAULTS.expiryDays,
    passwordByDefault: typeof v.passwordByDefault === 'boolean' ? v.passwordByDefault : DEFAULTS.passwordByDefault,
  };
}

export async function loadDefaults(): Promise<ShareDefaults> {
  return normaliseDefaults(await readSettings());
}

export async function saveDefaults(defaults: ShareDefaults): Promise<ShareDefaults> {
  const clean = normaliseDefaults(defaults);
  await writeSettings(clean);
  return clean;
}

/** The date `days` after `today` as YYYY-MM-DD (UTC, like the servers compare), or '' for 0. */
export function expiryAfter(days: number, today: Date): string {
  if (days <= 0) return '';
  const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return new Date(start + days * 86_400_000).toISOString().slice(0, 10);
}
