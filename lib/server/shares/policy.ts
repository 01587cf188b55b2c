import { HttpError } from '../http/errors';
import type { ServerConfig } from '../config';
import type { Share } from '../store/types';
import { CREATE, DELETE, READ, UPDATE } from './permissions';

// Link-share rules: permissions per item type, password and expiry policy. Messages and OCS codes follow ownCloud 10.

/** ownCloud's "Download / View / Edit" (15): visitors may also change and delete; `publicUpload=true` asks for it. */
const EDIT = READ | UPDATE | CREATE | DELETE;

/** Sets a link may have: 1, 3, 4 (file drop), 5, 7 and 15 on folders; 1 and 3 on files (no create or delete). */
const FOLDER_PERMISSIONS = new Set([READ, READ | UPDATE, CREATE, READ | CREATE, READ | UPDATE | CREATE, EDIT]);
const FILE_PERMISSIONS = new Set([READ, READ | UPDATE]);

export function linkPermissions(
  itemType: 'file' | 'folder',
  permissions: string | undefined,
  publicUpload: string | undefined,
): number {
  const upload = publicUpload === 'true' || publicUpload === '1';
  if (upload && itemType === 'file')
    throw new HttpError(403, 'Public upload is only possible for publicly shared folders');
  if (permissions === undefined || permissions === '') return upload ? EDIT : READ;
  const value = Number(permissions);
  if (!Number.isInteger(value)) throw new HttpError(400, 'Invalid permissions');
  const allowed = itemType === 'file' ? FILE_PERMISSIONS : FOLDER_PERMISSIONS;
  if (!allowed.has(value)) {
    throw new HttpError(
      400,
      itemType === 'file'
        ? 'Invalid permissions for a file link (use 1 or 3)'
        : 'Invalid permissions for a folder link (use 1, 3, 4, 5, 7 or 15)',
    );
  }
  return value;
}

const today = (): string => new Date().toISOString().slice(0, 10);

function addDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Validates expireDate (YYYY-MM-DD) against the policy; returns the date to store or null. */
export function linkExpiration(config: ServerConfig, expireDate: string | undefined): string | null {
  const value = expireDate?.trim().replace(/^"|"$/g, '');
  if (!value) {
    if (config.linkExpireEnforced && config.linkExpireDays > 0) return addDays(config.linkExpireDays);
    return null;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  const date = match ? new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00Z`) : undefined;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== match[0]) {
    throw new HttpError(404, 'Invalid date. Format must be YYYY-MM-DD');
  }
  const day = match[0];
  if (day <= today()) throw new HttpError(404, 'Expiration date is in the past');
  if (config.linkExpireEnforced && config.linkExpireDays > 0 && day > addDays(config.linkExpireDays)) {
    throw new HttpError(404, `Cannot set expiration date more than ${config.linkExpireDays} days in the future`);
  }
  return day;
}

export function checkLinkPassword(config: ServerConfig, password: string | undefined): void {
  if (config.linkPasswordEnforced && !password) throw new HttpError(403, 'Passwords are enforced for link shares');
}

/** A link is usable until the start of its expiration day (UTC), like ownCloud's 00:00 expiry. */
export function isExpired(share: Share): boolean {
  return share.expiration !== null && share.expiration <= today();
}
