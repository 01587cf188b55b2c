import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';
import { PERMISSION_CREATE, PERMISSION_DELETE, PERMISSION_READ, PERMISSION_UPDATE } from '@/lib/permissions';
import type { ServerKind } from '@/lib/share/types';

/**
 * The instance's public-link rules, read from `capabilities.files_sharing.public` (docs/protocols.md#ocs-share-api).
 * ownCloud 10 enforces passwords per permission set (`enforced_for`), Nextcloud with one flag; both publish expiry
 * rules.
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

/**
 * `capabilities.files_sharing.public` of both servers. Flags arrive as booleans, strings or numbers (bool() reads
 * them all); a part that is missing or broken reads as absent, so the rest of the policy still holds.
 */
const Flag = v.optional(v.unknown());
const absentIfBroken = <S extends v.GenericSchema>(schema: S) => v.fallback(v.optional(schema), undefined);
const PublicSharing = v.object({
  files_sharing: v.object({
    public: v.object({
      enabled: Flag,
      upload: Flag,
      password: absentIfBroken(
        v.object({ enforced: Flag, enforced_for: absentIfBroken(v.record(v.string(), v.unknown())) }),
      ),
      expire_date: absentIfBroken(v.object({ enabled: Flag, enforced: Flag, days: Flag })),
    }),
  }),
});

export function parseLinkPolicy(capabilities: unknown): LinkPolicy {
  const pub = readAnswer(PublicSharing, capabilities)?.files_sharing.public ?? {};
  const password = pub.password ?? {};
  // ownCloud 10 also sets `enforced` when any one kind is enforced (kept for old clients): where `enforced_for` is
  // published, it alone says which kinds need a password.
  const perSet = password.enforced_for;
  const all = !perSet && bool(password.enforced);
  const expire = pub.expire_date ?? {};
  const expiryOn = bool(expire.enabled);
  const enforced = expiryOn && bool(expire.enforced);
  return {
    enabled: pub.enabled === undefined ? false : bool(pub.enabled),
    passwordRequired: {
      view: all || bool(perSet?.read_only),
      // We send read+create for view+upload (linkPermissionBits), which ownCloud 10 files under read_write.
      'view-upload': all || bool(perSet?.read_write),
      'upload-only': all || bool(perSet?.upload_only),
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

/**
 * The OCS permission bits that give exactly what the label says, per server generation:
 * - ownCloud 10: view+upload is read+create (5, its own "Download / View / Upload"); 15 would also let visitors
 *   change and delete files ("Download / View / Edit").
 * - Nextcloud: its legacy `publicUpload=true` and its "Allow upload and editing" mean 15 (31 with the share bit it
 *   adds), again with changing and deleting. It accepts read+create as a custom permission set (validated in
 *   ShareAPIController::validateLinkSharePermissions), so we send 5 there too and never `publicUpload`.
 * - The companion follows ownCloud 10 (its folder links accept 1, 3, 4, 5, 7, 15).
 * Upload only (a file drop) is create alone (4) everywhere; view is read (1).
 */
const BITS: Record<ServerKind, Record<LinkPermissions, number>> = {
  owncloud: {
    view: PERMISSION_READ,
    'view-upload': PERMISSION_READ | PERMISSION_CREATE,
    'upload-only': PERMISSION_CREATE,
  },
  nextcloud: {
    view: PERMISSION_READ,
    'view-upload': PERMISSION_READ | PERMISSION_CREATE,
    'upload-only': PERMISSION_CREATE,
  },
  companion: {
    view: PERMISSION_READ,
    'view-upload': PERMISSION_READ | PERMISSION_CREATE,
    'upload-only': PERMISSION_CREATE,
  },
  ocis: { view: PERMISSION_READ, 'view-upload': PERMISSION_READ | PERMISSION_CREATE, 'upload-only': PERMISSION_CREATE },
};

export function linkPermissionBits(permissions: LinkPermissions, kind: ServerKind): number {
  return BITS[kind][permissions];
}

/** What an existing link lets visitors do, from its bits (links made elsewhere may carry edit rights too). */
export type LinkKind = LinkPermissions | 'edit';

export function linkKind(bits: number): LinkKind {
  const can = (bit: number) => (bits & bit) === bit;
  if (!can(PERMISSION_READ)) return 'upload-only';
  if (can(PERMISSION_UPDATE) || can(PERMISSION_DELETE)) return 'edit';
  return can(PERMISSION_CREATE) ? 'view-upload' : 'view';
}

export interface LinkRequest {
  isFolder: boolean;
  permissions: LinkPermissions;
  password: string;
  /** YYYY-MM-DD or '' for none. */
  expireDate: string;
}

/**
 * What a link request breaks of the policy, as codes (the words are the link form's): `date-too-far` means beyond
 * `policy.expiry.maxDays`.
 */
export type LinkRequestProblem =
  | 'disabled'
  | 'upload-file'
  | 'upload-off'
  | 'password'
  | 'date-invalid'
  | 'date-past'
  | 'date-too-far'
  | 'date-required';

/** Checks a link request against the policy before asking the server, so the user hears why in words. */
export function checkLinkRequest(policy: LinkPolicy, request: LinkRequest, today: Date): LinkRequestProblem[] {
  const problems: LinkRequestProblem[] = [];
  if (!policy.enabled) problems.push('disabled');
  if (request.permissions !== 'view' && !request.isFolder) problems.push('upload-file');
  if (request.permissions !== 'view' && !policy.uploadAllowed) problems.push('upload-off');
  if (policy.passwordRequired[request.permissions] && !request.password) problems.push('password');
  if (request.expireDate) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(request.expireDate);
    const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
    const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== request.expireDate) {
      problems.push('date-invalid');
    } else if (date.getTime() <= start) {
      problems.push('date-past');
    } else if (policy.expiry.maxDays && date.getTime() > start + policy.expiry.maxDays * 86_400_000) {
      problems.push('date-too-far');
    }
  } else if (policy.expiry.enforced) {
    problems.push('date-required');
  }
  return problems;
}
