/**
 * OCS share permission bits (docs/protocols.md#link-permissions), the same on ownCloud 10, Nextcloud, Infinite Scale
 * and the companion. A public link without READ is a file drop (create only): visitors can upload but not see anything.
 */
export const PERMISSION_READ = 1;
export const PERMISSION_UPDATE = 2;
export const PERMISSION_CREATE = 4;
export const PERMISSION_DELETE = 8;
