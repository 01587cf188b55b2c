import type { Routes } from '../http/router';
import { sendJson } from '../http/respond';

// /ocs-provider: where this server's OCS sharing and federated sharing endpoints are (ownCloud's service discovery).

const OCS_PROVIDER = {
  version: 2,
  services: {
    SHARING: { version: 1, endpoints: { share: '/ocs/v2.php/apps/files_sharing/api/v1/shares' } },
    FEDERATED_SHARING: { version: 1, endpoints: { share: '/ocs/v2.php/cloud/shares', webdav: '/public.php/webdav/' } },
  },
};

export function registerOcsProvider(routes: Routes): void {
  routes.on('GET', ['/ocs-provider', '/ocs-provider/index.php'], 'json', ({ res }) => sendJson(res, 200, OCS_PROVIDER));
}
