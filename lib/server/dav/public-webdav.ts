import type { Routes } from '../http/router';
import type { Ctx } from '../context';
import { parseBasic } from '../http/auth';
import { HttpError } from '../http/errors';
import { DAV_METHODS, handleDav, segmentsAfter } from './handler';
import { LocalSpace } from './local-space';
import { bridgedSpace, externalShareAt } from './spaces';
import { plainSegments } from '../files/paths';
import { allows, CREATE, DELETE, READ, UPDATE } from '../shares/permissions';
import { liveShare, passwordOpens } from '../shares/public-access';
import type { Share } from '../store/types';

// /public.php/webdav: a share seen over WebDAV with Basic auth "token:password". This is what ownCloud/Nextcloud
// receivers (and our own mounts) read, and where the OCM shared secret of a shareType 6 share is accepted as user.

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="ownCloud", charset="UTF-8"' };

async function authenticatedShare(ctx: Ctx): Promise<Share> {
  const credentials = parseBasic(ctx.req.headers.authorization);
  if (!credentials)
    throw new HttpError(
      401,
      'No public access to this resource., Username or password was incorrect',
      undefined,
      CHALLENGE,
    );
  const share = await liveShare(ctx, credentials.user, [3, 6]);
  if (!share) throw new HttpError(401, 'Username or password was incorrect', undefined, CHALLENGE);
  if (share.shareType === 6 ? credentials.password !== '' : !(await passwordOpens(ctx, share, credentials.password))) {
    throw new HttpError(401, 'Username or password was incorrect', undefined, CHALLENGE);
  }
  return share;
}

export function registerPublicWebdav(routes: Routes): void {
  routes.on([...DAV_METHODS], ['/public.php/webdav', '/public.php/webdav/*'], 'dav', async (ctx) => {
    const share = await authenticatedShare(ctx);
    const p = share.permissions;
    const bridged = share.shareType === 6 && (await externalShareAt(ctx.app, share.owner, share.path));
    const base = plainSegments(share.path);
    // The tree is fenced to the shared item: a symlink in it leading elsewhere in the owner's files is not followed.
    const space = bridged
      ? bridgedSpace(ctx.app, share.owner, base)
      : new LocalSpace(
          ctx.app.tree(share.owner).within(base),
          base,
          {
            read: allows(p, READ),
            update: allows(p, UPDATE),
            create: allows(p, CREATE),
            delete: allows(p, DELETE),
          },
          share.itemType === 'file',
          p,
        );
    await handleDav(ctx, {
      space,
      baseHref: '/public.php/webdav/',
      segments: segmentsAfter(ctx.path, 2),
      instanceId: ctx.app.instanceId,
    });
  });
}
