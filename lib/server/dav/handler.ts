import type { ServerResponse } from 'node:http';
import type { Ctx } from '../context';
import { readBody } from '../http/body';
import { HttpError } from '../http/errors';
import { sendEmpty } from '../http/respond';
import { decodeSegments } from '../files/paths';
import { PROPFIND_MAX_BODY_BYTES } from './limits';
import { encodeHref, MULTISTATUS_CLOSE, MULTISTATUS_OPEN, requestedProperties, responseRenderer } from './multistatus';
import type { DavSpace } from './space';

const DAV_HEADERS = { DAV: '1, 3', 'MS-Author-Via': 'DAV' };
const ALLOW = 'OPTIONS, GET, HEAD, PROPFIND, PUT, MKCOL, DELETE, MOVE';

interface DavMount {
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
  const depth = String(ctx.req.headers.depth ?? '1')
    .trim()
    .toLowerCase();
  if (depth === '0') return 0;
  if (depth === '1' || depth === 'infinity') return 1; // like Sabre with depth infinity disabled
  throw new HttpError(400, 'Depth must be 0, 1 or infinity');
}

/** Writes one chunk; resolves when the socket can take more (false when the client went away). */
function send(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (open: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(open);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/** Rendered responses are collected up to this many characters before they are written. */
const WRITE_CHUNK = 64 * 1024;

/**
 * PROPFIND. The body is bounded (limits.ts), and a depth-1 answer is streamed: the folder's children are listed once
 * (names and stat numbers only), then rendered and written batch by batch, waiting for the socket to drain whenever it
 * is full. So memory does not grow with the size of the answer, and a slow reader only slows itself down.
 */
async function propfind(ctx: Ctx, mount: DavMount): Promise<void> {
  const body = await readBody(ctx.req, PROPFIND_MAX_BODY_BYTES);
  const requested = requestedProperties(body.toString('utf8'));
  const depth = depthOf(ctx);
  const { space, segments } = mount;
  const self = await space.stat(segments);
  if (!self) throw new HttpError(404, 'File not found');
  const render = responseRenderer(requested, mount.instanceId);
  const selfHref = mount.baseHref + encodeHref(segments) + (self.isDir && segments.length > 0 ? '/' : '');
  const headers = { ...DAV_HEADERS, 'Content-Type': 'application/xml; charset=utf-8', Vary: 'Brief,Prefer' };
  const { res } = ctx;

  if (depth === 0 || !self.isDir) {
    const size = self.isDir ? await space.folderSize(segments) : self.size;
    const xml = MULTISTATUS_OPEN + render(selfHref, { ...self, size }) + MULTISTATUS_CLOSE;
    res.writeHead(207, { ...headers, 'Content-Length': Buffer.byteLength(xml) });
    res.end(xml);
    return;
  }

  // Everything that can fail with a status (missing folder, unreachable mount) happens before the 207 is sent.
  const folder = await space.listFolder(segments);
  const prefix = mount.baseHref + (segments.length > 0 ? `${encodeHref(segments)}/` : '');
  res.writeHead(207, headers); // no Content-Length: chunked
  let pending = MULTISTATUS_OPEN + render(selfHref, { ...self, size: folder.size });
  for (const batch of folder.children) {
    for (const child of batch)
      pending += render(`${prefix}${encodeURIComponent(child.name)}${child.isDir ? '/' : ''}`, child);
    if (pending.length >= WRITE_CHUNK) {
      if (!(await send(res, pending))) return; // the client went away: stop listing
      pending = '';
    }
  }
  res.end(pending + MULTISTATUS_CLOSE);
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
  if (destPath !== base && !destPath.startsWith(`${base}/`))
    throw new HttpError(403, 'The destination is outside this space');
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
      return sendEmpty(
        res,
        created ? 201 : 204,
        entry
          ? {
              ETag: `"${entry.etag}"`,
              'OC-ETag': `"${entry.etag}"`,
              'OC-FileId': `${String(entry.fileId).padStart(8, '0')}${mount.instanceId}`,
            }
          : {},
      );
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
