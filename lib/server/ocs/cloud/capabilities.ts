import type { Routes } from '../../http/router';
import { PRODUCT_NAME, SERVER_VERSION, type ServerConfig } from '../../config';
import type { Ctx } from '../../context';
import { requireApiPrincipal } from '../../http/auth';
import { ocsOk, ocsTarget } from '../../http/ocs';
import { statusBody } from '../../dav/status';
import { ALL } from '../../shares/permissions';
import { CLIENT_POLL_INTERVAL_MS } from '../../timeouts';

// /ocs/v{1,2}.php/cloud/capabilities: what this server supports, in ownCloud 10's shape.

function capabilities(config: ServerConfig): Record<string, unknown> {
  const enforced = config.linkPasswordEnforced;
  return {
    version: {
      ...pick(SERVER_VERSION, ['major', 'minor', 'micro', 'string']),
      edition: 'Community',
      product: PRODUCT_NAME,
    },
    capabilities: {
      core: { pollinterval: CLIENT_POLL_INTERVAL_MS, 'webdav-root': 'remote.php/webdav', status: statusBody() },
      files: { bigfilechunking: false, undelete: false, versioning: false },
      dav: { chunking: '', propfind: { depth_infinity: false } },
      files_sharing: {
        api_enabled: true,
        public: {
          enabled: true,
          password: {
            enforced_for: {
              read_only: enforced,
              read_write: enforced,
              upload_only: enforced,
              read_write_delete: enforced,
            },
            enforced,
            askForOptionalPassword: false,
          },
          expire_date:
            config.linkExpireDays > 0
              ? { enabled: true, days: String(config.linkExpireDays), enforced: config.linkExpireEnforced }
              : { enabled: false },
          can_create_public_link: true,
          send_mail: false,
          upload: true,
          multiple: true,
          multiple_links: true,
          supports_upload_only: true,
          defaultPublicLinkShareName: 'Public link',
        },
        user: { send_mail: false, expire_date: { enabled: false } },
        remote: { expire_date: { enabled: false } },
        resharing: false,
        group_sharing: false,
        can_share: true,
        default_permissions: ALL,
        federation: { outgoing: config.federationOutgoing, incoming: config.federationIncoming },
      },
    },
  };
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;
}

export function registerCapabilities(routes: Routes): void {
  routes.on('GET', ['/ocs/v1.php/cloud/capabilities', '/ocs/v2.php/cloud/capabilities'], 'ocs', async (ctx: Ctx) => {
    await requireApiPrincipal(ctx);
    ocsOk(ctx.res, ocsTarget(ctx.path, ctx.query, ctx.req.headers.accept), capabilities(ctx.app.config), 'OK');
  });
}
