import type { Routes } from '../http/router';
import { registerShares } from './apps/files_sharing/shares';
import { registerRemoteShares } from './apps/files_sharing/remote-shares';
import { registerCapabilities } from './cloud/capabilities';
import { registerLegacyFederation } from './cloud/shares';
import { registerUser } from './cloud/user';
import { registerAppPasswords } from './core/app-passwords';
import { registerOcsProvider } from './provider';

// OCS: the files of this folder mirror the URL tree under /ocs/v1.php and /ocs/v2.php (plus /ocs-provider).
export function registerOcs(routes: Routes): void {
  registerShares(routes);
  registerRemoteShares(routes);
  registerCapabilities(routes);
  registerLegacyFederation(routes);
  registerUser(routes);
  registerAppPasswords(routes);
  registerOcsProvider(routes);
}
