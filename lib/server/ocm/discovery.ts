import type { Routes } from '../http/router';
import { PRODUCT_NAME, type ServerConfig } from '../config';
import { sendJson } from '../http/respond';
import { localSigningKey, type LocalKey } from '../federation/keys';

// /ocm-provider and /.well-known/ocm: how peers find our OCM endpoints and the key our requests are signed with.

/**
 * OCM 1.0-proposal1 discovery as ownCloud 10 serves it, plus the OCM 1.1 fields newer peers look for, and the key our
 * OCM requests are signed with, in Nextcloud 31's `publicKey` form (peers check our signatures with it).
 */
function ocmDiscovery(config: ServerConfig, key: LocalKey): Record<string, unknown> {
  const webdav = '/public.php/webdav/';
  return {
    enabled: config.federationIncoming || config.federationOutgoing,
    apiVersion: '1.0-proposal1',
    endPoint: `${config.publicUrl}/index.php/apps/federatedfilesharing`,
    provider: PRODUCT_NAME,
    publicKey: { keyId: key.keyId, publicKeyPem: key.publicKeyPem },
    shareTypes: [{ name: 'file', protocols: { webdav } }],
    resourceTypes: [{ name: 'file', shareTypes: ['user'], protocols: { webdav } }],
    capabilities: ['/notifications'],
  };
}

export function registerOcmDiscovery(routes: Routes): void {
  routes.on('GET', ['/ocm-provider', '/ocm-provider/index.php', '/.well-known/ocm'], 'json', async ({ app, res }) =>
    sendJson(res, 200, ocmDiscovery(app.config, await localSigningKey(app.config))),
  );
}
