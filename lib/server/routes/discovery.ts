import type { Routes } from '../http/router';
import { COMPANION_VERSION, PRODUCT_NAME, SERVER_VERSION, type ServerConfig } from '../config';
import type { Ctx } from '../context';
import { requireApiPrincipal } from '../http/auth';
import { ocsOk, ocsTarget } from '../http/ocs';
import { sendJson } from '../http/respond';
import { localSigningKey, type LocalKey } from '../federation/keys';

/** ownCloud 10's status.php fields (peers require version >= 7), our product name, and our own release as an extra
 * field ownCloud and Nextcloud clients ignore (docs/server.md "Identity: status.php"). */
export function statusBody(): Record<string, unknown> {
  return {
    installed: true, maintenance: false, needsDbUpgrade: false, version: SERVER_VERSION.full,
    versionstring: SERVER_VERSION.string, edition: 'Community', productname: PRODUCT_NAME, product: PRODUCT_NAME,
    companionVersion: COMPANION_VERSION,
  };
}

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

const OCS_PROVIDER = {
  version: 2,
  services: {
    SHARING: { version: 1, endpoints: { share: '/ocs/v2.php/apps/files_sharing/api/v1/shares' } },
    FEDERATED_SHARING: { version: 1, endpoints: { share: '/ocs/v2.php/cloud/shares', webdav: '/public.php/webdav/' } },
  },
};

function capabilities(config: ServerConfig): Record<string, unknown> {
  const enforced = config.linkPasswordEnforced;
  return {
    version: { ...pick(SERVER_VERSION, ['major', 'minor', 'micro', 'string']), edition: 'Community', product: PRODUCT_NAME },
    capabilities: {
      core: { pollinterval: 30000, 'webdav-root': 'remote.php/webdav', status: statusBody() },
      files: { bigfilechunking: false, undelete: false, versioning: false },
      dav: { chunking: '', propfind: { depth_infinity: false } },
      files_sharing: {
        api_enabled: true,
        public: {
          enabled: true,
          password: {
            enforced_for: { read_only: enforced, read_write: enforced, upload_only: enforced, read_write_delete: enforced },
            enforced,
            askForOptionalPassword: false,
          },
          expire_date: config.linkExpireDays > 0
            ? { enabled: true, days: String(config.linkExpireDays), enforced: config.linkExpireEnforced }
            : { enabled: false },
          can_create_public_link: true, send_mail: false, upload: true, multiple: true, multiple_links: true,
          supports_upload_only: true, defaultPublicLinkShareName: 'Public link',
        },
        user: { send_mail: false, expire_date: { enabled: false } },
        remote: { expire_date: { enabled: false } },
        resharing: false, group_sharing: false, can_share: true, default_permissions: 31,
        federation: { outgoing: config.federationOutgoing, incoming: config.federationIncoming },
      },
    },
  };
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;
}

export function registerDiscovery(routes: Routes): void {
  // Like ownCloud and Nextcloud, status.php may be read from any origin: it is how clients find out what a server is.
  routes.on('GET', '/status.php', 'json', ({ res }) => sendJson(res, 200, statusBody(), { 'Access-Control-Allow-Origin': '*' }));
  routes.on('GET', ['/ocs-provider', '/ocs-provider/index.php'], 'json', ({ res }) => sendJson(res, 200, OCS_PROVIDER));
  routes.on('GET', ['/ocm-provider', '/ocm-provider/index.php', '/.well-known/ocm'], 'json', async ({ app, res }) =>
    sendJson(res, 200, ocmDiscovery(app.config, await localSigningKey(app.config))));
  routes.on('GET', ['/ocs/v1.php/cloud/capabilities', '/ocs/v2.php/cloud/capabilities'], 'ocs', async (ctx: Ctx) => {
    await requireApiPrincipal(ctx);
    ocsOk(ctx.res, ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept), capabilities(ctx.app.config), 'OK');
  });
}
