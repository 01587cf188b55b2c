import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runFamily, startTarget, type Probe, type Target } from './harness';
import { aliceAuth, apiRequestHeader, encodeBytes, headerValue, oneIn, plainPath, rawSubPath } from './generators';

// WebDAV of the user's own files (/remote.php/webdav, /remote.php/dav/files/USER): every method over hostile paths,
// names, Depth, Range, Destination and Overwrite headers and PROPFIND bodies.

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => target?.node.stop());

export const DAV_PREFIXES = ['/remote.php/webdav', '/remote.php/dav/files/alice', '/remote.php/dav/files/bob', '/remote.php/dav/files/ALICE',
  '/remote.php/dav/files/%2e%2e', '/remote.php/dav/files/alice%2fbob', '/remote.php/dav/files', '/remote.php/dav', '/remote.php/dav/files/alice%00'];

const PROPS = ['d:getlastmodified', 'd:getcontentlength', 'd:resourcetype', 'd:getetag', 'd:quota-used-bytes', 'd:quota-available-bytes',
  'oc:id', 'oc:fileid', 'oc:permissions', 'oc:size', 'd:displayname', 'x:unknown', 'oc:share-types', 'nc:has-preview', 'd:getcontenttype'];

/** PROPFIND bodies: none, allprop, property lists, malformed XML, and DTD tricks that name a secret file. */
export function propfindBody(t: Target): fc.Arbitrary<string | undefined> {
  const ns = 'xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns" xmlns:x="urn:x"';
  const xmlName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_.-]{0,20}$/);
  return fc.oneof(
    fc.constantFrom(undefined, '', `<?xml version="1.0"?><d:propfind ${ns}><d:allprop/></d:propfind>`, `<d:propfind ${ns}><d:prop/></d:propfind>`,
      `<d:propfind ${ns}><d:propname/></d:propfind>`, '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>', '<a>', '<?xml', 'not xml'),
    fc.array(fc.oneof(fc.constantFrom(...PROPS), xmlName.map((n) => `x:${n}`), xmlName.map((n) => `undeclared:${n}`)), { maxLength: 30 })
      .map((props) => `<?xml version="1.0"?><d:propfind ${ns}><d:prop>${props.map((p) => `<${p}/>`).join('')}</d:prop></d:propfind>`),
    fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => `<d:propfind ${ns}><d:prop><x:a>${s}</x:a></d:prop></d:propfind>`),
    fc.string({ maxLength: 200 }),
  );
}

function destination(t: Target): fc.Arbitrary<string> {
  const base = t.node.url;
  return fc.oneof(
    fc.tuple(fc.constantFrom(...DAV_PREFIXES), rawSubPath).map(([prefix, sub]) => `${base}${prefix}${sub}`),
    fc.tuple(fc.constantFrom(...DAV_PREFIXES), rawSubPath).map(([prefix, sub]) => `${prefix}${sub}`),
    rawSubPath.map((sub) => `http://evil.invalid/remote.php/webdav${sub}`),
    fc.constantFrom('', ' ', 'http://', '::::', `${base}/remote.php/webdav/../../etc`, `${base}/remote.php/webdav/%2e%2e/%2e%2e/outside-secret.txt`,
      `${base}/remote.php/dav/files/bob/private/x.txt`, `${base}/remote.php/webdav`, `${base}/remote.php/webdav/`),
    headerValue,
  );
}

const range = fc.oneof(
  fc.constantFrom('bytes=0-0', 'bytes=-1', 'bytes=5-', 'bytes=0-99999999999999999999', 'bytes=10-5', 'bytes=0-1,2-3', 'bytes=-0', 'items=0-1',
    'bytes=', 'bytes=abc', 'bytes=4096-', 'bytes=-99999', 'bytes= 1 - 2 ', 'bytes=1e3-2e3', 'bytes=0x10-0x20'),
  fc.tuple(fc.option(fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 80n }))), fc.option(fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 80n }))))
    .map(([a, b]) => `bytes=${a ?? ''}-${b ?? ''}`),
  headerValue,
);

export function davProbe(t: Target, prefixes: string[], auth: fc.Arbitrary<string | undefined>): fc.Arbitrary<Probe> {
  const method = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom('PROPFIND', 'GET', 'HEAD', 'PUT', 'MKCOL', 'MOVE', 'DELETE', 'OPTIONS') },
    { weight: 1, arbitrary: fc.constantFrom('COPY', 'PROPPATCH', 'LOCK', 'UNLOCK', 'POST', 'PATCH', 'REPORT', 'SEARCH', 'TRACE') },
  );
  const body = fc.oneof(
    propfindBody(t),
    fc.uint8Array({ maxLength: 3000 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.integer({ min: 50_000, max: 300_000 }).map((n) => 'p'.repeat(n)),
  );
  return fc.record({
    method, prefix: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...prefixes.slice(0, 2)) }, { weight: 1, arbitrary: fc.constantFrom(...prefixes) }), sub: rawSubPath, query: oneIn(4, plainPath.map((p) => `?path=${encodeBytes(p)}`)),
    auth, api: apiRequestHeader, body: fc.option(body, { freq: 3 }),
    depth: fc.option(fc.oneof({ weight: 6, arbitrary: fc.constantFrom('0', '1', 'infinity') },
      { weight: 1, arbitrary: fc.constantFrom('Infinity', '2', '-1', '', ' 1 ', '1,0', 'noroot') }, { weight: 1, arbitrary: headerValue })),
    range: oneIn(4, range), destination: fc.option(destination(t), { freq: 2 }),
    overwrite: oneIn(3, fc.oneof(fc.constantFrom('T', 'F', 't', 'f', ''), headerValue)),
    contentType: oneIn(3, fc.oneof(fc.constantFrom('application/xml', 'text/xml; charset=utf-8', 'application/octet-stream', 'multipart/form-data; boundary=x'), headerValue)),
  }).map((r): Probe => {
    const headers: Record<string, string> = { ...r.api };
    if (r.auth !== undefined) headers.Authorization = r.auth;
    if (r.depth !== null) headers.Depth = r.depth;
    if (r.range !== null) headers.Range = r.range;
    if (r.destination !== null) headers.Destination = r.destination;
    if (r.overwrite !== null) headers.Overwrite = r.overwrite;
    if (r.contentType !== null) headers['Content-Type'] = r.contentType;
    return { method: r.method, path: `${r.prefix}${r.sub}${r.query ?? ''}`, headers, body: r.body ?? undefined };
  });
}

describe('adversarial: WebDAV of the own files', () => {
  it('keeps every invariant for hostile paths, names, headers and bodies', async () => {
    await runFamily(target, davProbe(target, DAV_PREFIXES, aliceAuth), { numRuns: 250 });
  });
});
