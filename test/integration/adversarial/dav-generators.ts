import fc from 'fast-check';
import type { Probe, Target } from './harness';
import { encodeBytes, headerValue, oneIn, plainPath, rawSubPathFrom, apiRequestHeader } from './generators';

// Hostile WebDAV requests, shared by the user's own WebDAV and public WebDAV families: every method over hostile paths,
// names, Depth, Range, Destination and Overwrite headers and PROPFIND bodies.

export const DAV_PREFIXES = [
  '/remote.php/webdav',
  '/remote.php/dav/files/alice',
  '/remote.php/dav/files/bob',
  '/remote.php/dav/files/ALICE',
  '/remote.php/dav/files/%2e%2e',
  '/remote.php/dav/files/alice%2fbob',
  '/remote.php/dav/files',
  '/remote.php/dav',
  '/remote.php/dav/files/alice%00',
];

const PROPS = [
  'd:getlastmodified',
  'd:getcontentlength',
  'd:resourcetype',
  'd:getetag',
  'd:quota-used-bytes',
  'd:quota-available-bytes',
  'oc:id',
  'oc:fileid',
  'oc:permissions',
  'oc:size',
  'd:displayname',
  'x:unknown',
  'oc:share-types',
  'nc:has-preview',
  'd:getcontenttype',
];

/** PROPFIND bodies with a DTD: external entities naming a secret file outside the tree, and entity expansion. */
function dtdBody(t: Target): fc.Arbitrary<string> {
  const ns = 'xmlns:d="DAV:"';
  return fc.constantFrom(
    `<?xml version="1.0"?><!DOCTYPE d:propfind [<!ENTITY x SYSTEM "file://${t.outsideFile}">]><d:propfind ${ns}><d:prop><d:displayname>&x;</d:displayname></d:prop></d:propfind>`,
    `<?xml version="1.0"?><!DOCTYPE d:propfind [<!ENTITY % p SYSTEM "file://${t.outsideFile}"> %p;]><d:propfind ${ns}><d:allprop/></d:propfind>`,
    `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><d:propfind ${ns}><d:prop><d:x>&c;</d:x></d:prop></d:propfind>`,
    `<!DOCTYPE d:propfind SYSTEM "http://${t.closedHost}/x.dtd"><d:propfind ${ns}><d:allprop/></d:propfind>`,
  );
}

/** PROPFIND bodies: none, allprop, property lists, malformed XML, and DTD tricks that name a secret file. */
export function propfindBody(t: Target): fc.Arbitrary<string | undefined> {
  const ns = 'xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns" xmlns:x="urn:x"';
  const xmlName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_.-]{0,20}$/);
  return fc.oneof(
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        undefined,
        '',
        `<?xml version="1.0"?><d:propfind ${ns}><d:allprop/></d:propfind>`,
        `<d:propfind ${ns}><d:prop/></d:propfind>`,
        `<d:propfind ${ns}><d:propname/></d:propfind>`,
        '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
        '<a>',
        '<?xml',
        'not xml',
      ),
    },
    {
      weight: 4,
      arbitrary: fc
        .array(
          fc.oneof(
            fc.constantFrom(...PROPS),
            xmlName.map((n) => `x:${n}`),
            xmlName.map((n) => `undeclared:${n}`),
          ),
          { maxLength: 30 },
        )
        .map(
          (props) =>
            `<?xml version="1.0"?><d:propfind ${ns}><d:prop>${props.map((p) => `<${p}/>`).join('')}</d:prop></d:propfind>`,
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: 'grapheme', maxLength: 200 })
        .map((s) => `<d:propfind ${ns}><d:prop><x:a>${s}</x:a></d:prop></d:propfind>`),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: dtdBody(t) },
  );
}

function destination(t: Target, prefixes: string[], subPath: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const base = t.node.url;
  return fc.oneof(
    fc.tuple(fc.constantFrom(...prefixes), subPath).map(([prefix, sub]) => `${base}${prefix}${sub}`),
    fc.tuple(fc.constantFrom(...DAV_PREFIXES), subPath).map(([prefix, sub]) => `${prefix}${sub}`),
    subPath.map((sub) => `http://evil.invalid/remote.php/webdav${sub}`),
    fc.constantFrom(
      '',
      ' ',
      'http://',
      '::::',
      `${base}/remote.php/webdav/../../etc`,
      `${base}/remote.php/webdav/%2e%2e/%2e%2e/outside-secret.txt`,
      `${base}/remote.php/dav/files/bob/private/x.txt`,
      `${base}/remote.php/webdav`,
      `${base}/remote.php/webdav/`,
    ),
    headerValue,
  );
}

const range = fc.oneof(
  fc.constantFrom(
    'bytes=0-0',
    'bytes=-1',
    'bytes=5-',
    'bytes=0-99999999999999999999',
    'bytes=10-5',
    'bytes=0-1,2-3',
    'bytes=-0',
    'items=0-1',
    'bytes=',
    'bytes=abc',
    'bytes=4096-',
    'bytes=-99999',
    'bytes= 1 - 2 ',
    'bytes=1e3-2e3',
    'bytes=0x10-0x20',
  ),
  fc
    .tuple(
      fc.option(fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 80n }))),
      fc.option(fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 80n }))),
    )
    .map(([a, b]) => `bytes=${a ?? ''}-${b ?? ''}`),
  headerValue,
);

/**
 * WebDAV requests below one of `prefixes` (the first two get most of them), starting mostly at `existing` paths (raw,
 * relative to the space root) so that requests get past the lookup, authenticated by `auth`.
 */
export function davProbe(
  t: Target,
  prefixes: string[],
  existing: string[],
  auth: fc.Arbitrary<string | undefined>,
): fc.Arbitrary<Probe> {
  const subPath = rawSubPathFrom(existing);
  const method = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom('PROPFIND', 'GET', 'HEAD', 'PUT', 'MKCOL', 'MOVE', 'DELETE', 'OPTIONS') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('COPY', 'PROPPATCH', 'LOCK', 'UNLOCK', 'POST', 'PATCH', 'REPORT', 'SEARCH', 'TRACE'),
    },
  );
  const data = fc.oneof(
    fc.uint8Array({ maxLength: 3000 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.integer({ min: 50_000, max: 300_000 }).map((n) => 'p'.repeat(n)),
  );
  return fc
    .record({
      method,
      prefix: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...prefixes.slice(0, 2)) },
        { weight: 1, arbitrary: fc.constantFrom(...prefixes) },
      ),
      sub: subPath,
      query: oneIn(
        4,
        plainPath.map((p) => `?path=${encodeBytes(p)}`),
      ),
      auth,
      api: apiRequestHeader,
      propfind: propfindBody(t),
      data,
      bodyChoice: fc.integer({ min: 0, max: 9 }),
      depth: fc.option(
        fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom('0', '1', 'infinity') },
          { weight: 1, arbitrary: fc.constantFrom('Infinity', '2', '-1', '', ' 1 ', '1,0', 'noroot') },
          { weight: 1, arbitrary: headerValue },
        ),
      ),
      range: oneIn(4, range),
      destination: fc.option(destination(t, prefixes, subPath), { freq: 2 }),
      overwrite: oneIn(3, fc.oneof(fc.constantFrom('T', 'F', 't', 'f', ''), headerValue)),
      contentType: oneIn(
        3,
        fc.oneof(
          fc.constantFrom(
            'application/xml',
            'text/xml; charset=utf-8',
            'application/octet-stream',
            'multipart/form-data; boundary=x',
          ),
          headerValue,
        ),
      ),
    })
    .map((r): Probe => {
      const headers: Record<string, string> = { ...r.api };
      if (r.auth !== undefined) headers.Authorization = r.auth;
      if (r.depth !== null) headers.Depth = r.depth;
      if (r.range !== null) headers.Range = r.range;
      if (r.destination !== null) headers.Destination = r.destination;
      if (r.overwrite !== null) headers.Overwrite = r.overwrite;
      if (r.contentType !== null) headers['Content-Type'] = r.contentType;
      // Bodies that fit the method most of the time (so requests get past parsing), the other kind or none sometimes.
      const fitting = r.method === 'PROPFIND' ? r.propfind : r.method === 'PUT' ? r.data : undefined;
      const body =
        r.bodyChoice < 7 ? fitting : r.bodyChoice === 7 ? r.data : r.bodyChoice === 8 ? r.propfind : undefined;
      return { method: r.method, path: `${r.prefix}${r.sub}${r.query ?? ''}`, headers, body };
    });
}
