// ownCloud's OCS share permission bits (docs/protocols.md#link-permissions); a share's permissions are their sum.

export const READ = 1;
export const UPDATE = 2;
export const CREATE = 4;
export const DELETE = 8;
export const SHARE = 16;
/** Every bit, what a user may do with their own files (31). */
export const ALL = READ | UPDATE | CREATE | DELETE | SHARE;

/** Whether `permissions` include `bit` (one of the constants above). */
export function allows(permissions: number, bit: number): boolean {
  return (permissions & bit) !== 0;
}

/** Whether visitors may see and download the shared item; a link without READ is a file drop (uploads only). */
export function canRead(permissions: number): boolean {
  return allows(permissions, READ);
}
