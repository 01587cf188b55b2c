import type { Routes } from '../http/router';
import { registerPublicWebdav } from './public-webdav';
import { registerStatus } from './status';
import { registerUserWebdav } from './webdav';

// WebDAV of users (/remote.php) and of public links (/public.php), and /status.php that WebDAV clients probe first.
// The other files of this folder are the WebDAV machinery these routes share.
export function registerDav(routes: Routes): void {
  registerUserWebdav(routes);
  registerPublicWebdav(routes);
  registerStatus(routes);
}
