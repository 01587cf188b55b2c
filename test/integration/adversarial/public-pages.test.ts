import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  BOB,
  aliceLink,
  anonymousSession,
  runFamily,
  send,
  startTarget,
  type Probe,
  type Session,
  type Target,
} from './harness';
import {
  bodyStyle,
  cloudId,
  encodeBytes,
  bodyOf,
  headerValue,
  hostileJson,
  toJson,
  oneIn,
  paramsOf,
  plainPath,
  queryString,
} from './generators';

// Public link pages as an anonymous visitor sees them: /s/TOKEN (and /index.php/s/TOKEN), the password form, downloads
// with ?path= and ?files=, shareinfo and createFederatedShare, with real tokens of every kind of link, forged tokens,
// sessions that did or did not unlock a link, and hostile query strings and bodies.

let target: Target;
const tokens: string[] = [];
let session: Session;

beforeAll(async () => {
  target = await startTarget();
  tokens.push(
    (await aliceLink(target, { path: '/docs' })).token,
    (await aliceLink(target, { path: '/docs', password: 'link-pw' })).token,
    (await aliceLink(target, { path: '/docs/a.txt' })).token,
    (await aliceLink(target, { path: '/empty', permissions: '4' })).token,
    (await aliceLink(target, { path: '/docs/sub', permissions: '15' })).token,
  );
  // bob's link to his private folder: its token is not offered to the generators, and its files are secrets.
  target.secrets.push((await aliceLink(target, { path: '/private' }, BOB)).token);
  session = await anonymousSession(target, `/s/${tokens[1]}/authenticate`);
  // Unlock the password link in this session, so the generators also reach what lies behind the password.
  await send(target, {
    method: 'POST',
    path: `/s/${tokens[1]}/authenticate`,
    headers: { Cookie: session.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password: 'link-pw', requesttoken: session.requestToken }).toString(),
  });
});
afterAll(async () => target?.node.stop());

function probe(): fc.Arbitrary<Probe> {
  const token = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tokens) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', 'a'.repeat(3000), '..', '%00'))
        .map(encodeBytes),
    },
  );
  // Each route with the methods it answers; a tenth of the requests use another method.
  const suffix = fc.constantFrom<[string, string[]]>(
    ['', ['GET']],
    ['/', ['GET']],
    ['/authenticate', ['GET', 'POST']],
    ['/authenticate/showShare', ['POST']],
    ['/authenticate/x%2fy', ['GET']],
    ['/download', ['GET', 'HEAD']],
    ['/download', ['GET']],
    ['/x', ['GET']],
  );
  const fields = paramsOf({
    password: fc.oneof(fc.constantFrom('link-pw', ''), fc.string({ maxLength: 30 })),
    requesttoken: fc.oneof(fc.constant(session.requestToken), fc.string({ maxLength: 40 })),
    t: fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 20 })),
    token: fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 20 })),
    shareWith: cloudId(target),
  });
  const page = fc
    .tuple(fc.constantFrom('/s/', '/index.php/s/'), token, suffix)
    .map(([a, b, [c, methods]]): [string, string[]] => [`${a}${b}${c}`, methods]);
  const api = fc
    .constantFrom(
      '/index.php/apps/files_sharing/shareinfo',
      '/apps/files_sharing/shareinfo',
      '/index.php/apps/federatedfilesharing/createFederatedShare',
      '/apps/federatedfilesharing/createFederatedShare',
    )
    .map((p): [string, string[]] => [p, ['POST']]);
  return fc
    .record({
      pick: fc.nat(),
      other: oneIn(10, fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'PROPFIND', 'OPTIONS')),
      route: fc.oneof({ weight: 3, arbitrary: page }, { weight: 1, arbitrary: api }),
      query: queryString(
        ['path', 'files', 'path', 'files', 't', 'dir'],
        fc.oneof(plainPath, fc.constantFrom(...tokens)),
      ),
      cookie: fc.option(
        fc.oneof(
          fc.constant(session.cookie),
          headerValue.map((v) => `atc_session=${v}`),
        ),
        { freq: 2 },
      ),
      range: oneIn(4, fc.oneof(fc.constantFrom('bytes=0-3', 'bytes=-2', 'bytes=9999-', 'bytes=1-0'), headerValue)),
      requestTokenHeader: oneIn(4, fc.constant(session.requestToken)),
      fields: fc.option(fields, { freq: 3 }),
      style: bodyStyle,
      raw: oneIn(10, hostileJson.map(toJson)),
    })
    .map((r): Probe => {
      const headers: Record<string, string> = {};
      if (r.cookie !== null) headers.Cookie = r.cookie;
      if (r.range !== null) headers.Range = r.range;
      if (r.requestTokenHeader !== null) headers.requesttoken = r.requestTokenHeader;
      const payload = bodyOf(r.raw, r.fields, r.style);
      if (payload) headers['Content-Type'] = payload.type;
      const body = payload?.body;
      const [route, methods] = r.route;
      return { method: r.other ?? methods[r.pick % methods.length]!, path: `${route}${r.query}`, headers, body };
    });
}

describe('adversarial: public link pages, shareinfo and createFederatedShare', () => {
  it('keeps every invariant', async () => {
    await runFamily(target, probe(), { numRuns: 100 });
  });
});
