import { t } from '@/lib/i18n';

/**
 * The instance's public-link rules, read from `capabilities.files_sharing.public` (protocol.md §3). ownCloud 10
 * enforces passwords per permission set (`enforced_for`), Nextcloud with one flag; both publish expiry rules.
 */
export type LinkPermissions = 'view' | 'view-upload' | 'upload-only';

export interface LinkPolicy {
  enabled: boolean;
  /** Whether a password is required for links with these permissions. */
  passwordRequired: Record<LinkPermissions, boolean>;
  expiry: { defaultDays?: number; enforced: boolean; maxDays?: number };
  uploadAllowed: boolean;
}

const bool = (value: unknown) => value === true || value === 'true' || value === 1 || value === '1';
const days = (value: unknown) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

export function parseLinkPolicy(capabilities: unknown): LinkPolicy {
  const pub = ((capabilities as { files_sharing?: { public?: unknown } } | null)?.files_sharing?.public ?? {}) as Record<string, unknown>;
  const password = (pub.password ?? {}) as Record<string, unknown>;
  const perSet = (password.enforced_for ?? {}) as Record<string, unknown>;
  const all = bool(password.enforced);
  const expire = (pub.expire_date ?? {}) as Record<string, unknown>;
  const expiryOn = bool(expire.enabled);
  const enforced = expiryOn && bool(expire.enforced);
  return {
    enabled: pub.enabled === undefined ? false : bool(pub.enabled),
    passwordRequired: {
      view: all || bool(perSet.read_only),
      'view-upload': all || bool(perSet.read_write) || bool(perSet.read_write_delete),
      'upload-only': all || bool(perSet.upload_only),
    },
    expiry: {
      ...(expiryOn && { defaultDays: days(expire.days) }),
      enforced,
      // Both servers use `days` as the maximum once expiry is enforced.
      ...(enforced && { maxDays: days(expire.days) }),
    },
    uploadAllowed: bool(pub.upload),
  };
}

/** OCS permission bits for a link (protocol.md §3): 1 read, 4 create; view+upload on a folder is 15. */
export function permissionBits(permissions: LinkPermissions): number {
  return permissions === 'view' ? 1 : permissions === 'upload-only' ? 4 : 15;
}

export interface LinkRequest {
  isFolder: boolean;
  permissions: LinkPermissions;
  password: string;
  /** YYYY-MM-DD or '' for none. */
  expireDate: string;
}

/** Checks a link request against the policy before asking the server, so the user hears why in words. */
export function checkLinkRequest(policy: LinkPolicy, request: LinkRequest, today: Date): string[] {
  const problems: string[] = [];
  if (!policy.enabled) problems.push(t('linkProblemDisabled'));
  if (request.permissions !== 'view' && !request.isFolder) problems.push(t('linkProblemUploadFile'));
  if (request.permissions !== 'view' && !policy.uploadAllowed) problems.push(t('linkProblemUploadOff'));
  if (policy.passwordRequired[request.permissions] && !request.password) problems.push(t('linkProblemPassword'));
  if (request.expireDate) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(request.expireDate);
    const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
    const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== request.expireDate) {
      problems.push(t('linkProblemDateInvalid'));
    } else if (date.getTime() <= start) {
      problems.push(t('linkProblemDatePast'));
    } else if (policy.expiry.maxDays && date.getTime() > start + policy.expiry.maxDays * 86_400_000) {
      problems.push(t('linkProblemDateTooFar', String(policy.expiry.maxDays)));
    }
  } else if (policy.expiry.enforced) {
    problems.push(t('linkProblemDateRequired'));
  }
  return problems;
}
