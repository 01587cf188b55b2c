import http from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, basic, runFamily, send, startTarget, type Probe, type Target } from './harness';
import { OWNCLOUD_10_STATUS } from '../../fixtures/status-php';
import { encodeBytes, hostileJson, rawSegment, toJson } from './generators';

// Remotes are input too. A fake peer on 127.0.0.1 answers every call the node makes with generated answers: any
// status, discovery documents of any shape, multistatus XML with hostile element names, hrefs and values, garbage.
// The node must turn all of it into a clear answer: anything below 500, or 502/504 ("the remote failed"); never a
// 500, a hang or a leak. The generated answer is chosen by a path segment (/b<id>/) the request carries to the peer.

interface Answer {
  status: number;
  type: string;
  body: string;
  headers: Record<string, string>;
  /** Send the body gzip-compressed (with Content-Encoding), whatever the request accepts, as some servers do. */
  gzip: boolean;
}

/** What the fake peer answers for one behaviour id: discovery for mounting, and its WebDAV. */
interface Behaviour {
  status: Answer;
  ocsProvider: Answer;
  ocmProvider: Answer;
  dav: Answer;
}

let target: Target;
let peer: http.Server;
let peerUrl: string;
const behaviours = new Map<string, Behaviour>();

const VALID_STATUS = JSON.stringify(OWNCLOUD_10_STATUS);
const ok = (body: string, type = 'application/json'): Answer => ({ status: 200, type, body, headers: {}, gzip: false });
const MULTISTATUS_OK = (href: string) =>
  `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>${href}</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype><d:getetag>"e"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`;
const GOOD: Behaviour = {
  status: ok(VALID_STATUS),
  ocsProvider: ok('{}'),
  ocmProvider: ok('{}'),
  dav: {
    status: 207,
    type: 'application/xml',
    body: MULTISTATUS_OK('/mnt/public.php/webdav/'),
    headers: {},
    gzip: false,
  },
};

function reply(res: http.ServerResponse, answer: Answer): void {
  if (answer.gzip) {
    const body = gzipSync(answer.body);
    res.writeHead(answer.status, {
      'Content-Type': answer.type,
      ...answer.headers,
      'Content-Encoding': 'gzip',
      'Content-Length': body.length,
    });
    res.end(body);
    return;
  }
  res.writeHead(answer.status, { 'Content-Type': answer.type, ...answer.headers });
  res.end(answer.body);
}

/** The fake peer: /b<id>/… answers with behaviour <id>; the mount's own root (/mnt/…) answers like a healthy peer. */
function startPeer(): Promise<void> {
  peer = http.createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://peer');
    const parts = url.pathname.split('/').filter(Boolean);
    // Reads through the mount carry the behaviour id as their first segment inside the share.
    const davIndex = parts.indexOf('webdav');
    const id = parts[0]?.startsWith('b')
      ? parts[0].slice(1)
      : parts[davIndex + 1]?.startsWith('b')
        ? parts[davIndex + 1]!.slice(1)
        : undefined;
    const behaviour = (id && behaviours.get(id)) || GOOD;
    const rest = `/${parts.slice(parts[0] === 'mnt' || parts[0]?.startsWith('b') ? 1 : 0).join('/')}`;
    if (rest === '/status.php') return reply(res, behaviour.status);
    if (rest.startsWith('/ocs-provider')) return reply(res, behaviour.ocsProvider);
    if (rest.startsWith('/ocm-provider') || rest.startsWith('/.well-known/ocm'))
      return reply(res, behaviour.ocmProvider);
    // The same generated answer serves reads: a healthy peer answers a PROPFIND with 207 and a GET with 200.
    reply(
      res,
      req.method === 'GET' && behaviour.dav.status === 207 ? { ...behaviour.dav, status: 200 } : behaviour.dav,
    );
  });
  return new Promise((resolve) =>
    peer.listen(0, '127.0.0.1', () => {
      peerUrl = `http://127.0.0.1:${(peer.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  target = await startTarget();
  await startPeer();
  const mounted = await send(target, {
    method: 'POST',
    path: '/index.php/apps/files_sharing/external',
    headers: {
      Authorization: basic(ALICE.name, ALICE.password),
      'OCS-APIRequest': 'true',
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      remote: `${peerUrl}/mnt`,
      token: 'HostileToken123',
      name: 'Hostile',
      password: '',
    }).toString(),
  });
  expect(`${mounted.status} ${mounted.body.toString()}`).toBe('200 ');
});
afterAll(async () => {
  await target?.node.stop();
  await new Promise<void>((resolve) => {
    peer?.closeAllConnections();
    if (peer) peer.close(() => resolve());
    else resolve();
  });
});

/** Names that become properties of parsed objects (prototype keys) or break naive XML handling. */
const xmlName = fc.oneof(
  fc.constantFrom(
    'toString',
    'valueOf',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    'href',
    'prop',
    'propstat',
    'status',
    'response',
    'collection',
  ),
  fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
);
const xmlText = fc.oneof(
  fc.string({ maxLength: 30 }).map((s) => s.replace(/[<&]/g, '')),
  fc.constantFrom('1e400', '-5', 'NaN', '99999999999999999999999', '', 'Thu, 01 Jan 1970', '&amp;', '&#0;'),
);

/** One <d:response>: an href of any shape and properties of any name, nesting and value. */
function responseXml(t: Target): fc.Arbitrary<string> {
  const href = fc.oneof(
    fc.constantFrom(
      '/mnt/public.php/webdav/',
      '/public.php/webdav/x',
      '../../../etc/passwd',
      '/mnt/public.php/webdav/%2e%2e/%2e%2e/',
      `http://${t.closedHost}/x`,
      'http://evil.invalid/public.php/webdav/a',
      '%ZZ',
      '',
      '/mnt/public.php/webdav/a%00b',
      `/mnt/public.php/webdav/${'n'.repeat(300)}`,
    ),
    rawSegment.map((s) => `/mnt/public.php/webdav/${s}`),
  );
  const leaf = fc.tuple(xmlName, xmlText).map(([n, v]) => `<d:${n}>${v}</d:${n}>`);
  const prop = fc.oneof(
    leaf,
    fc.tuple(xmlName, fc.array(leaf, { maxLength: 3 })).map(([n, inner]) => `<d:${n}>${inner.join('')}</d:${n}>`),
    fc.constantFrom(
      '<d:resourcetype><d:collection/></d:resourcetype>',
      '<d:resourcetype/>',
      '<d:getcontentlength>12</d:getcontentlength>',
    ),
  );
  return fc
    .tuple(
      fc.oneof(
        href.map((h) => `<d:href>${h}</d:href>`),
        leaf.map((l) => `<d:href>${l}</d:href>`),
      ),
      fc.array(prop, { maxLength: 6 }),
      fc.constantFrom('HTTP/1.1 200 OK', 'HTTP/1.1 404 Not Found', '', 'garbage'),
    )
    .map(
      ([h, props, status]) =>
        `<d:response>${h}<d:propstat><d:prop>${props.join('')}</d:prop><d:status>${status}</d:status></d:propstat></d:response>`,
    );
}

/** An answer with mostly the status a healthy peer gives (`usual`), sometimes any other. */
function answer(body: fc.Arbitrary<string>, type: string, usual: number): fc.Arbitrary<Answer> {
  return fc.record({
    status: fc.oneof(
      { weight: 4, arbitrary: fc.constant(usual) },
      { weight: 1, arbitrary: fc.constantFrom(204, 301, 302, 400, 401, 403, 404, 405, 416, 500, 502, 503) },
      { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
    ),
    type: fc.oneof(fc.constant(type), fc.constantFrom('text/html', 'application/octet-stream', '')),
    body,
    headers: fc.constantFrom<Record<string, string>>(
      {},
      { Location: 'http://127.0.0.1:1/' },
      { 'Content-Range': 'bytes */4' },
      { 'Content-Encoding': 'gzip' },
      { 'Content-Range': 'garbage' },
    ),
    gzip: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  });
}

function behaviour(t: Target): fc.Arbitrary<Behaviour> {
  const json = fc.oneof(hostileJson.map(toJson), fc.constantFrom('', 'not json', '{', VALID_STATUS));
  const webdavValue = fc.oneof(
    fc.constantFrom('/public.php/webdav/', '/x/../y/', '//double/', 'relative', `http://${t.closedHost}/dav/`, ''),
    hostileJson.filter((v) => typeof v !== 'string'),
  );
  const ocsProvider = webdavValue.map((w) =>
    toJson({
      version: 2,
      services: { FEDERATED_SHARING: { version: 1, endpoints: { share: '/ocs/v1.php/cloud/shares', webdav: w } } },
    }),
  );
  const ocmProvider = fc
    .tuple(
      webdavValue,
      fc.oneof(
        fc.constantFrom(`http://${t.closedHost}/ocm`, 'not a url', ''),
        hostileJson.filter((v) => typeof v !== 'string'),
      ),
    )
    .map(([w, endPoint]) =>
      toJson({
        enabled: true,
        apiVersion: '1.0-proposal1',
        endPoint,
        shareTypes: [{ name: 'file', protocols: { webdav: w } }],
      }),
    );
  const multistatus = fc
    .array(responseXml(t), { maxLength: 8 })
    .map((rs) => `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">${rs.join('')}</d:multistatus>`);
  return fc.record({
    status: answer(
      fc.oneof({ weight: 3, arbitrary: fc.constant(VALID_STATUS) }, { weight: 1, arbitrary: json }),
      'application/json',
      200,
    ),
    ocsProvider: answer(fc.oneof(ocsProvider, json), 'application/json', 200),
    ocmProvider: answer(fc.oneof(ocmProvider, json), 'application/json', 200),
    dav: answer(
      fc.oneof(
        { weight: 4, arbitrary: multistatus },
        { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "xx">]><d:multistatus xmlns:d="DAV:">&x;</d:multistatus>',
            '<a><b>',
            'file content',
          ),
        },
      ),
      'application/xml',
      207,
    ),
  });
}

/** Registers a behaviour under an id derived from its content (generation stays deterministic for shrinking). */
function register(b: Behaviour): string {
  const id = createHash('sha1').update(JSON.stringify(b)).digest('hex').slice(0, 12);
  behaviours.set(id, b);
  return id;
}

function probe(t: Target): fc.Arbitrary<Probe> {
  const auth = { Authorization: basic(ALICE.name, ALICE.password), 'OCS-APIRequest': 'true' };
  return fc
    .tuple(
      behaviour(t),
      fc.integer({ min: 0, max: 9 }),
      fc.constantFrom('', '/file.txt', '/sub/', '/a/b'),
      fc.constantFrom('PROPFIND', 'GET', 'HEAD'),
      fc.option(fc.constantFrom('bytes=0-1', 'bytes=9-'), { freq: 3 }),
    )
    .map(([b, kind, sub, method, range]): Probe => {
      const id = register(b);
      if (kind <= 3) {
        // Mounting a link of the peer: discovery, then a PROPFIND with the token.
        return {
          method: 'POST',
          path: '/index.php/apps/files_sharing/external',
          headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            remote: `${peerUrl}/b${id}`,
            token: 'PeerToken12345',
            name: `m${id}`,
            password: '',
          }).toString(),
        };
      }
      if (kind === 4)
        return {
          method: 'GET',
          path: `/index.php/apps/files_sharing/testremote?remote=${encodeBytes(`${peerUrl}/b${id}`)}`,
          headers: auth,
        };
      // Reading through the mounted share: the peer answers the read with this behaviour's WebDAV answer.
      const headers: Record<string, string> = { ...auth, Depth: '1' };
      if (range !== null) headers.Range = range;
      return { method, path: `/remote.php/webdav/Hostile/b${id}${sub}`, headers };
    });
}

describe('adversarial: hostile remotes', () => {
  it('turns any answer of a peer into a clear answer', async () => {
    await runFamily(target, probe(target), {
      numRuns: 120,
      // Every probe of this family talks to the peer: "the remote failed" (502/504) is a right answer here.
      allow5xx: (_probe, status) => status === 502 || status === 504,
    });
  });
});
