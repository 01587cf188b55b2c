import type { Routes } from '../../http/router';
import { withIndex } from '../../http/router';
import type { Ctx } from '../../context';
import { checkCsrf, params } from '../../http/forms';
import { redirect, sendHtml } from '../../http/respond';
import { plainSegments, toPlainPath } from '../../files/paths';
import { userSpaceOf } from '../../dav/spaces';
import { HttpError } from '../../http/errors';
import { html } from '../../views/escape';
import { filesPage } from '../../views/pages';
import { mountExternalLink } from '../../federation/external-link';

// /index.php/apps/files: a minimal server-rendered UI to browse your files (mounted shares included, read through like
// WebDAV), download one, and confirm an incoming "Add to your cloud" link.

/** The files page, where the web UI starts (web/login.ts sends the user here). */
export const FILES = '/index.php/apps/files/';
/** ownCloud 10's download URL of the Files app; here it serves single files (WebDAV does not take the session). */
const DOWNLOAD = '/index.php/apps/files/ajax/download.php';

async function files(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const session = await app.sessions.find(ctx.req);
  const user = session?.uid ? await app.store.getUser(session.uid) : undefined;
  if (!session || !user) return redirect(ctx.res, '/index.php/login');
  const segments = plainSegments(ctx.query.get('dir') ?? '/');
  await app.tree(user.uid).ensure();
  const entries = await userSpaceOf(app, user.uid).list(segments);
  const rows = entries.map((entry) => {
    const childSegments = [...segments, entry.name];
    return {
      name: entry.name,
      isDir: entry.isDir,
      size: entry.size,
      mtime: entry.mtime,
      mount: entry.remote,
      href: entry.isDir
        ? `${FILES}?dir=${encodeURIComponent(toPlainPath(childSegments))}`
        : `${DOWNLOAD}?dir=${encodeURIComponent(toPlainPath(segments))}&files=${encodeURIComponent(entry.name)}`,
    };
  });
  const crumbs = [html`<a href="${FILES}">Home</a>`];
  segments.forEach((name, i) =>
    crumbs.push(
      html` / <a href="${FILES}?dir=${encodeURIComponent(toPlainPath(segments.slice(0, i + 1)))}">${name}</a>`,
    ),
  );
  const q = ctx.query;
  const remote = q.get('remote');
  const token = q.get('token');
  const incoming =
    remote && token
      ? {
          remote,
          token,
          owner: q.get('owner') ?? '',
          ownerDisplayName: q.get('ownerDisplayName') ?? q.get('owner') ?? '',
          name: q.get('name') ?? '',
          protectedByPassword: q.get('protected') === '1',
        }
      : undefined;
  const added = q.get('added');
  sendHtml(
    ctx.res,
    200,
    filesPage({
      requestToken: session.requestToken,
      user: { uid: user.uid, displayName: user.displayName },
      dir: toPlainPath(segments),
      rows,
      crumbs: html`${crumbs}`,
      incoming,
      notice: added ? `Added ${added}` : undefined,
      error: q.get('error') ?? undefined,
    }),
  );
}

/**
 * A file of the logged-in user (mounted shares read through), always as a download with the user-content headers of
 * files/serve.ts. Reading changes nothing, so the session cookie alone is enough, as for the files page.
 */
async function download(ctx: Ctx): Promise<void> {
  const session = await ctx.app.sessions.find(ctx.req);
  if (!session?.uid) return redirect(ctx.res, '/index.php/login');
  const segments = [...plainSegments(ctx.query.get('dir') ?? '/'), ...plainSegments(ctx.query.get('files') ?? '')];
  const space = userSpaceOf(ctx.app, session.uid);
  const entry = segments.length > 0 ? await space.stat(segments) : undefined;
  if (!entry || entry.isDir) throw new HttpError(404, 'File not found');
  await space.serve(segments, ctx.req, ctx.res, ctx.req.method === 'HEAD');
}

/** The confirmation form of an incoming "Add to your cloud" link: mounts it like `external` does. */
async function addShare(ctx: Ctx): Promise<void> {
  const form = await params(ctx);
  const session = await ctx.app.sessions.find(ctx.req);
  if (!session?.uid || !checkCsrf(ctx, session, form)) return redirect(ctx.res, '/index.php/login');
  const result = await mountExternalLink(ctx.app, session.uid, form);
  redirect(
    ctx.res,
    result.ok
      ? `${FILES}?added=${encodeURIComponent(result.mountpoint)}`
      : `${FILES}?error=${encodeURIComponent(result.message)}`,
  );
}

export function registerFiles(routes: Routes): void {
  routes.on('GET', withIndex('/apps/files'), 'html', files);
  routes.on(['GET', 'HEAD'], withIndex('/apps/files/ajax/download.php'), 'html', download);
  routes.on('POST', withIndex('/apps/files/add-share'), 'html', addShare);
}
