import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  ALICE,
  anonymousSession,
  loginSession,
  runFamily,
  startTarget,
  type Probe,
  type Session,
  type Target,
} from './harness';
import {
  bodyStyle,
  encodeBytes,
  encodeParams,
  headerValue,
  hostileJson,
  toJson,
  oneIn,
  paramsOf,
  plainPath,
  queryString,
  remote,
} from './generators';

// The server-rendered web UI: login (form and redirect targets), logout, the files page with ?dir= and the incoming
// "add to your cloud" confirmation (?remote=&token=&owner=&name=…), the add-share form, and the static script, with
// logged-in, anonymous and forged sessions and request tokens.

let target: Target;
let alice: Session;
let anon: Session;

beforeAll(async () => {
  target = await startTarget();
  alice = await loginSession(target);
  anon = await anonymousSession(target, '/index.php/login');
});
afterAll(async () => target?.node.stop());

function probe(t: Target): fc.Arbitrary<Probe> {
  const requestToken = fc.oneof(
    fc.constant(alice.requestToken),
    fc.constant(anon.requestToken),
    fc.string({ maxLength: 40 }),
  );
  const loginFields = paramsOf({
    user: fc.oneof(fc.constantFrom(ALICE.name, 'bob', ''), fc.string({ unit: 'grapheme', maxLength: 40 })),
    password: fc.oneof(fc.constant(ALICE.password), fc.string({ maxLength: 30 })),
    requesttoken: requestToken,
    redirect_url: fc.oneof(
      fc.constantFrom(
        '/index.php/apps/files/?dir=/docs',
        '//evil.invalid',
        'https://evil.invalid/',
        '/index.php/apps/files//evil.invalid',
        '/index.php/apps/files/\\\\evil.invalid',
        'javascript:alert(1)',
      ),
      fc.string({ maxLength: 40 }),
    ),
  });
  const addShareFields = paramsOf({
    remote: remote(t),
    token: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{15}$/), fc.string({ maxLength: 30 })),
    name: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('..', 'a/b', '<script>', '')),
    password: fc.string({ maxLength: 20 }),
    owner: fc.string({ maxLength: 20 }),
    requesttoken: requestToken,
  });
  // The files page reflects these query values into HTML: the generators send markup and long values on purpose.
  const filesQuery = queryString(
    ['dir', 'dir', 'remote', 'token', 'owner', 'ownerDisplayName', 'name', 'protected', 'added', 'error'],
    fc.oneof(
      plainPath,
      fc.constantFrom(`http://${t.closedHost}`, '<script>alert(1)</script>', '"><img src=x>', '1', '0'),
      fc.string({ maxLength: 2000 }),
    ),
  );
  const route = fc.oneof(
    fc
      .constantFrom('/', '/index.php', '/core/js/add-share.js', '/core/js/add-share.js?x=1')
      .map((p) => ({ path: p, method: 'GET', fields: null })),
    fc.constantFrom('/login', '/index.php/login').map((p) => ({ path: p, method: 'GET', fields: null })),
    fc
      .tuple(fc.constantFrom('/login', '/index.php/login'), loginFields)
      .map(([p, f]) => ({ path: p, method: 'POST', fields: f })),
    fc
      .tuple(fc.constantFrom('/logout', '/index.php/logout'), fc.string({ maxLength: 40 }))
      .map(([p, tok]) => ({ path: `${p}?requesttoken=${encodeBytes(tok)}`, method: 'GET', fields: null })),
    fc
      .tuple(fc.constantFrom('/apps/files', '/index.php/apps/files', '/index.php/apps/files/'), filesQuery)
      .map(([p, q]) => ({ path: `${p}${q}`, method: 'GET', fields: null })),
    fc
      .tuple(fc.constantFrom('/apps/files/add-share', '/index.php/apps/files/add-share'), addShareFields)
      .map(([p, f]) => ({ path: p, method: 'POST', fields: f })),
  );
  return fc
    .record({
      route,
      style: bodyStyle,
      session: fc.oneof(
        { weight: 6, arbitrary: fc.constant(alice) },
        { weight: 2, arbitrary: fc.constant(anon) },
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: headerValue.map((v) => ({ cookie: `atc_session=${v}`, requestToken: v })) },
      ),
      // Most form posts carry the request token of their own session, so they get past the CSRF check.
      matchingToken: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
      requestTokenHeader: oneIn(4, requestToken),
      other: oneIn(12, fc.constantFrom('PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH')),
      raw: oneIn(12, hostileJson.map(toJson)),
      referer: oneIn(4, headerValue),
    })
    .map((r): Probe => {
      const headers: Record<string, string> = {};
      if (r.session !== null) headers.Cookie = r.session.cookie;
      if (r.requestTokenHeader !== null) headers.requesttoken = r.requestTokenHeader;
      if (r.referer !== null) headers.Referer = r.referer;
      let body: string | undefined;
      if (r.raw !== null) {
        body = r.raw;
        headers['Content-Type'] = 'application/json';
      } else if (r.route.fields) {
        const fields =
          r.session && r.matchingToken ? { ...r.route.fields, requesttoken: r.session.requestToken } : r.route.fields;
        const encoded = encodeParams(fields, r.style);
        body = encoded.body;
        headers['Content-Type'] = encoded.type;
      }
      return { method: r.other ?? r.route.method, path: r.route.path, headers, body };
    });
}

describe('adversarial: web UI', () => {
  it('keeps every invariant', async () => {
    await runFamily(target, probe(target), { numRuns: 150 });
  });
});
