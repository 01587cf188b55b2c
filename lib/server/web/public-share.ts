import path from 'node:path';
import type { Routes } from '../http/router';
import { withIndex } from '../http/router';
import type { Ctx } from '../context';
import { str } from '../http/body';
import { HttpError } from '../http/errors';
import { checkCsrf, params } from '../http/forms';
import { redirect, sendHtml } from '../http/respond';
import { plainSegments, toPlainPath } from '../files/paths';
import { serveFile } from '../files/serve';
import { sendFolderZip } from '../files/zip';
import type { Share } from '../store/types';
import { canRead } from '../shares/permissions';
import { liveShare, passwordOpens, requireReadable } from '../shares/public-access';
import { shareUrl } from '../shares/format';
import { publicPasswordPage, publicSharePage } from '../views/public-share';

// /s/TOKEN (and /index.php/s/TOKEN): the page of one of our public links, its password form and its download.

const pagePath = (ctx: Ctx, token: string) => `${ctx.path.startsWith('/index.php/') ? '/index.php' : ''}/s/${token}`;

async function shareOr404(ctx: Ctx): Promise<Share> {
  const share = await liveShare(ctx, ctx.params.token);
  if (!share) throw new HttpError(404, 'File not found');
  return share;
}

/** Has this browser entered the link password (or does the link have none)? */
async function unlocked(ctx: Ctx, share: Share): Promise<boolean> {
  return !share.passwordHash || Boolean((await ctx.app.sessions.find(ctx.req))?.unlockedShares.has(share.id));
}

/** The folder inside the share that ?path= points at, validated. */
function subPath(ctx: Ctx, share: Share): string[] {
  if (share.itemType === 'file') return [];
  return plainSegments(ctx.query.get('path') ?? '/');
}

async function showShare(ctx: Ctx): Promise<void> {
  const share = await shareOr404(ctx);
  const token = share.token;
  if (!(await unlocked(ctx, share))) return redirect(ctx.res, `${pagePath(ctx, token)}/authenticate`);
  const { app } = ctx;
  const base = plainSegments(share.path);
  const tree = app.tree(share.owner).within(base); // a symlink in the share cannot lead elsewhere in the owner's files
  const inner = subPath(ctx, share);
  const root = await tree.stat(base);
  const current = await tree.stat([...base, ...inner]);
  if (!root || !current || (share.itemType === 'folder' && !current.isDir)) throw new HttpError(404, 'File not found');
  const owner = await app.store.getUser(share.owner);
  const canList = share.itemType === 'folder' && canRead(share.permissions);
  sendHtml(
    ctx.res,
    200,
    publicSharePage({
      requestToken: await app.sessions.pageToken(ctx.req),
      token,
      shareUrl: shareUrl(app, token),
      pagePath: pagePath(ctx, token),
      isFolder: share.itemType === 'folder',
      protectedByPassword: share.passwordHash !== null,
      owner: { uid: share.owner, displayName: owner?.displayName ?? share.owner },
      name: path.posix.basename(share.path),
      mime: root.mime,
      size: root.isDir ? await tree.sizeOf(base) : root.size,
      permissions: share.permissions,
      dir: toPlainPath(inner),
      children: canList ? await tree.list([...base, ...inner]) : [],
      federationOutgoing: app.config.federationOutgoing,
    }),
  );
}

async function authenticate(ctx: Ctx): Promise<void> {
  const share = await shareOr404(ctx);
  if (!share.passwordHash) return redirect(ctx.res, pagePath(ctx, share.token));
  const session = await ctx.app.sessions.ensure(ctx.req, ctx.res); // the password form needs its CSRF token
  if (ctx.req.method === 'GET') return sendHtml(ctx.res, 200, publicPasswordPage(session.requestToken, undefined));
  const form = await params(ctx);
  if (!checkCsrf(ctx, session, form))
    return sendHtml(ctx.res, 200, publicPasswordPage(session.requestToken, 'Your session expired, please try again.'));
  let opens: boolean;
  try {
    opens = await passwordOpens(ctx, share, str(form, 'password') ?? '');
  } catch (error) {
    if (error instanceof HttpError && error.status === 429) {
      return sendHtml(
        ctx.res,
        429,
        publicPasswordPage(session.requestToken, 'Too many wrong passwords. Try again later.'),
        error.headers,
      );
    }
    throw error;
  }
  if (!opens)
    return sendHtml(ctx.res, 200, publicPasswordPage(session.requestToken, 'The password is wrong. Try again.'));
  await ctx.app.sessions.unlockShare(session, share.id);
  redirect(ctx.res, pagePath(ctx, share.token));
}

async function download(ctx: Ctx): Promise<void> {
  const share = await shareOr404(ctx);
  if (!(await unlocked(ctx, share))) return redirect(ctx.res, `${pagePath(ctx, share.token)}/authenticate`);
  requireReadable(share);
  const tree = ctx.app.tree(share.owner).within(plainSegments(share.path)); // confined to the shared item
  const segments = [...plainSegments(share.path), ...subPath(ctx, share)];
  const files = ctx.query.get('files');
  if (files) segments.push(...plainSegments(files));
  const entry = await tree.stat(segments);
  if (!entry) throw new HttpError(404, 'File not found');
  if (entry.isDir) {
    const name = segments.length > plainSegments(share.path).length ? entry.name : path.posix.basename(share.path);
    return sendFolderZip(tree, segments, name, ctx.res);
  }
  await serveFile(await tree.locate(segments), entry, ctx.req, ctx.res, ctx.req.method === 'HEAD');
}

export function registerPublicShare(routes: Routes): void {
  routes.on('GET', withIndex('/s/:token'), 'html', showShare);
  // Nextcloud's form of the password page is /s/TOKEN/authenticate/showShare; accept it too.
  routes.on(
    ['GET', 'POST'],
    [...withIndex('/s/:token/authenticate'), ...withIndex('/s/:token/authenticate/:redirect')],
    'html',
    authenticate,
  );
  routes.on(['GET', 'HEAD'], withIndex('/s/:token/download'), 'html', download);
}
