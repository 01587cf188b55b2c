import type { Routes } from '../http/router';
import { registerCreateFederatedShare } from './apps/federatedfilesharing/create-federated-share';
import { registerFiles } from './apps/files';
import { registerExternal } from './apps/files_sharing/external';
import { registerShareInfo } from './apps/files_sharing/shareinfo';
import { registerTestRemote } from './apps/files_sharing/testremote';
import { registerAssets } from './assets';
import { registerLogin } from './login';
import { registerLoginFlow } from './login-flow';
import { registerPublicShare } from './public-share';

// What browsers (and ownCloud's index.php app routes) reach: pages, their forms and assets, and the JSON calls of
// /index.php/apps/… that are no OCS, WebDAV or OCM. Files under apps/ mirror the /index.php/apps/… URLs.
export function registerWeb(routes: Routes): void {
  registerLogin(routes);
  registerLoginFlow(routes);
  registerFiles(routes);
  registerPublicShare(routes);
  registerAssets(routes);
  registerExternal(routes);
  registerTestRemote(routes);
  registerShareInfo(routes);
  registerCreateFederatedShare(routes);
}
