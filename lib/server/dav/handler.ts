import { XMLValidator } from 'fast-xml-parser';
import type { Ctx } from '../context';
import { readBody } from '../http/body';
import { HttpError } from '../http/errors';
import { sendEmpty } from '../http/respond';
import { decodeSegments } from '../files/paths';
import { encodeHref, multistatus, requestedProperties, responseXml } from './multistatus';
import type { DavSpace } from './space';

const DAV_HEADERS = { DAV: '1, 3', 'MS-Author-Via': 'DAV' };
const ALLOW = 'OPTIONS, GET, HEAD, PROPFIND, PUT, MKCOL, DELETE, MOVE';

export interface DavMount {
  space: DavSpace;
  /** Href prefix of the space root, ending in "/" (e.g. /remote.php/dav/files/alice/). */
  baseHref: string;
  /** Path segments below the base, decoded and validated. */
  segments: string[];
  instanceId: string;
}

/** Path segments after the first `skip` raw segments of the request path (validated; see files/paths.ts). */
export function segmentsAfter(rawPath: string, skip: number): string[] {
  const raw = rawPath.split('/').filter((s) => s !== '');
  return decodeSegments(raw.slice(skip).join('/'));
}

function depthOf(ctx: Ctx): 0 | 1 {
  const depth = String(ctx.req.headers.depth ?? '1').trim().toLowerCase();
  if (depth === '0') return 0;
  if (depth === '1' || depth === 'infinity') return 1; // like Sabre with depth infinity disabled
  throw new HttpError(400, 'Depth must be 0, 1 or infinity');
}

async function propfind(ctx: Ctx, mount: DavMount): Promise<void> {
  const body = await readBody(ctx.req, ctx.app.config.maxBodyBytes);
  const text = body.toString('utf8');
  if (body.length > 0 && XMLValidator.validate(text) !== true) throw new HttpError(400, 'The request body is not valid XML');
  const requested = requestedProperties(text);
  const depth = depthOf(ctx);
  const { space, segments } = mount;
  const self = await space.stat(segments);
  if (!self) throw new HttpError(404, 'File not found');
  const selfHref = mount.baseHref + encodeHref(segments) + (self.isDir && segments.length > 0 ? '/' : '');
  const children = depth === 1 && self.isDir ? await space.list(segments) : [];
  // Sub-folders report their own size like ownCloud's (captures s2s-via-8111-to-alice/007: sub/ has
  // quota-used-bytes 9). Each subtree is walked once; the folder's own size is its files plus those sizes.
  const childSizes: (number | undefined)[] = [];
  for (const child of children) childSizes.push(child.isDir ? await space.folderSize([...segments, child.name]) : undefined);
  let selfSize: number | undefined;
  if (self.isDir) {
    selfSize = depth === 1
      ? await space.folderSize(segments, children.filter((c) => !c.isDir)) + childSizes.reduce<number>((sum, size) => sum + (size ?? 0), 0)
      : await space.folderSize(segments);
  }
  const parts = [responseXml(selfHref, self, mount.instanceId, selfSize, requested)];
  const prefix = mount.baseHref + (segments.length > 0 ? `${encodeHref(segments)}/` : '');
  children.forEach((child, index) => {
    parts.push(responseXml(`${prefix}${encodeURIComponent(child.name)}${child.isDir ? '/' : ''}`, child, mount.instanceId, childSizes[index], requested));
  });
  const xml = multistatus(parts);
  ctx.res.writeHead(207, { ...DAV_HEADERS, 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml), Vary: 'Brief,Prefer' });
  ctx.res.end(xml);
}

function destinationSegments(ctx: Ctx, mount: DavMount): string[] {
  const header = ctx.req.headers.destination;
  if (typeof header !== 'string' || header === '') throw new HttpError(400, 'The Destination header is missing');
  let destPath: string;
  try {
    destPath = new URL(header, ctx.app.config.publicUrl).pathname;
  } catch {
    throw new HttpError(400, 'The Destination header is not a valid URL');
  }
  const base = mount.baseHref.replace(/\/$/, '');
  if (destPath !== base && !destPath.startsWith(`${base}/`)) throw new HttpError(403, 'The destination is outside this space');
  return decodeSegments(destPath.slice(base.length));
}

/** Runs one WebDAV request against a space. */
export async function handleDav(ctx: Ctx, mount: DavMount): Promise<void> {
  const { space, segments } = mount;
  const { req, res } = ctx;
  switch (req.method) {
    case 'OPTIONS':
      req.resume();
      return sendEmpty(res, 200, { ...DAV_HEADERS, Allow: ALLOW });
    case 'PROPFIND':
      return propfind(ctx, mount);
    case 'GET':
    case 'HEAD': {
      req.resume();
      const entry = await space.stat(segments);
      if (!entry) throw new HttpError(404, 'File not found');
      if (entry.isDir) {
        // ownCloud answers a GET on a collection with a short HTML/empty page; clients must use PROPFIND.
        throw new HttpError(405, 'Cannot download a folder over WebDAV, use PROPFIND to list it');
      }
      return space.serve(segments, req, res, req.method === 'HEAD');
    }
    case 'PUT': {
      const created = await space.write(segments, req);
      const entry = await space.stat(segments);
      return sendEmpty(res, created ? 201 : 204, entry ? { ETag: `"${entry.etag}"`, 'OC-ETag': `"${entry.etag}"`, 'OC-FileId': `${String(entry.fileId).padStart(8, '0')}${mount.instanceId}` } : {});
    }
    case 'MKCOL': {
      const body = await readBody(req, 0).catch(() => {
        throw new HttpError(415, 'MKCOL with a body is not supported');
      });
      void body;
      await space.mkdir(segments);
      return sendEmpty(res, 201);
    }
    case 'DELETE':
      req.resume();
      await space.remove(segments);
      return sendEmpty(res, 204);
    case 'MOVE': {
      req.resume();
      const to = destinationSegments(ctx, mount);
      const overwrite = String(req.headers.overwrite ?? 'T').toUpperCase() !== 'F';
      const created = await space.move(segments, to, overwrite);
      return sendEmpty(res, created ? 201 : 204);
    }
    default:
      req.resume();
      throw new HttpError(405, `Method ${req.method ?? ''} is not supported`, undefined, { Allow: ALLOW });
  }
}

export const DAV_METHODS = ['OPTIONS', 'PROPFIND', 'GET', 'HEAD', 'PUT', 'MKCOL', 'DELETE', 'MOVE'] as const;
