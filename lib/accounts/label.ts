import type { Account } from './store';

/** How an account is named in the settings and the popup: display name, then the cloud id that tells accounts apart. */
export const accountLabel = (account: Pick<Account, 'displayName' | 'cloudId'>): string =>
  `${account.displayName} (${account.cloudId})`;
