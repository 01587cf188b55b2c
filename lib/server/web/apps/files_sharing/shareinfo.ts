import path from 'node:path';
import type { Routes } from '../../../http/router';
import { withIndex } from '../../../http/router';
import type { Ctx } from '../../../context';
import { str } from '../../../http/body';
import { params } from '../../../http/forms';
import { sendEmpty, sendJson } from '../../../http/respond';
import { plainSegments } from '../../../files/paths';
import type { Entry, UserTree } from '../../../files/tree';
import { canRead } from '../../../shares/permissions';
import { liveShare, passwordOpens } from '../../../shares/public-access';

// POST /index.php/apps/files_sharing/shareinfo: ownCloud's (deprecated) tree of a public link, which receiving servers
// and clients read before mounting it.

interface InfoNode {
  id: number;
  parentId: number;
  mtime: number;
  name: string;
  permissions: number;
  mimetype: string;
  size: number;
  type: 'dir' | 'file';
  etag: string;
  children?: InfoNode[];
}

const MAX_INFO_NODES = 5000;

async function infoTree(
  tree: UserTree,
  segments: string[],
  entry: Entry,
  parentId: number,
  permissions: number,
  budget: { left: number },
): Promise<InfoNode> {
  budget.left--;
  const node: InfoNode = {
    id: entry.fileId,
    parentId,
    mtime: Math.floor(entry.mtime.getTime() / 1000),
    name: entry.name,
    permissions,
    mimetype: entry.mime,
    size: entry.isDir ? await tree.sizeOf(segments) : entry.size,
    type: entry.isDir ? 'dir' : 'file',
    etag: entry.etag,
  };
  if (entry.isDir) {
    node.children = [];
    for (const child of await tree.list(segments)) {
      if (budget.left <= 0) break;
      node.children.push(await infoTree(tree, [...segments, child.name], child, entry.fileId, permissions, budget));
    }
  }
  return node;
}

async function shareinfo(ctx: Ctx): Promise<void> {
  const form = await params(ctx);
  const share = await liveShare(ctx, str(form, 't'));
  if (!share) return sendEmpty(ctx.res, 404, { 'Content-Type': 'text/html; charset=UTF-8' });
  if (!(await passwordOpens(ctx, share, str(form, 'password') ?? '')))
    return sendJson(ctx.res, 403, { success: false, status: 'error' });
  if (!canRead(share.permissions)) return sendJson(ctx.res, 403, { success: false, status: 'error' });
  const segments = plainSegments(share.path);
  const tree = ctx.app.tree(share.owner).within(segments); // confined to the shared item
  const entry = await tree.stat(segments);
  if (!entry) return sendEmpty(ctx.res, 404);
  const data = await infoTree(
    tree,
    segments,
    { ...entry, name: path.posix.basename(share.path) },
    0,
    share.permissions,
    { left: MAX_INFO_NODES },
  );
  sendJson(ctx.res, 200, { data, message: 'DEPRECATED API', status: 'success' });
}

export function registerShareInfo(routes: Routes): void {
  routes.on('POST', withIndex('/apps/files_sharing/shareinfo'), 'json', shareinfo);
}
