import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  ALICE,
  anonymousSession,
  basic,
  loginSession,
  ocsAsAlice,
  runFamily,
  send,
  startTarget,
  type Probe,
  type Session,
  type Target,
} from './harness';
import {
  aliceAuth,
  apiRequestHeader,
  bodyStyle,
  bodyOf,
  headerValue,
  hostileJson,
  toJson,
  oneIn,
  paramsOf,
  queryString,
} from './generators';

// Accounts and Login Flow v2: cloud/user, app passwords (create, revoke), and every step of the login flow (start, the
// flow page, its login form, grant, poll) with real and forged tokens, sessions and request tokens.

let target: Target;
let flow: { loginToken: string; pollToken: string };
let anon: Session;
let alice: Session;
const appPasswords: string[] = [];

beforeAll(async () => {
  target = await startTarget();
  const started = await send(target, {
    method: 'POST',
    path: '/index.php/login/v2',
    headers: { 'User-Agent': 'adversarial' },
  });
  const body = JSON.parse(started.body.toString('utf8')) as { poll: { token: string }; login: string };
  flow = { pollToken: body.poll.token, loginToken: body.login.split('/').pop() ?? '' };
  anon = await anonymousSession(target, `/index.php/login/v2/flow/${flow.loginToken}`);
  alice = await loginSession(target);
  for (let i = 0; i < 3; i++) {
    appPasswords.push(
      ((await ocsAsAlice(target, 'GET', '/ocs/v2.php/core/getapppassword')) as { apppassword: string }).apppassword,
    );
  }
});
afterAll(async () => target?.node.stop());

function probe(): fc.Arbitrary<Probe> {
  const token = fc.oneof(
    fc.constant(flow.loginToken),
    fc.constant(flow.pollToken),
    fc.string({ maxLength: 70 }),
    fc.constantFrom('', '..', '%00', 'a'.repeat(5000)),
  );
  const auth = fc.oneof(
    aliceAuth,
    fc.constantFrom(...appPasswords).map((p) => basic(ALICE.name, p)),
  );
  const cookie = fc.option(
    fc.oneof(
      fc.constant(anon.cookie),
      fc.constant(alice.cookie),
      headerValue.map((v) => `atc_session=${v}`),
      headerValue,
    ),
  );
  const requestToken = fc.oneof(
    fc.constant(anon.requestToken),
    fc.constant(alice.requestToken),
    fc.string({ maxLength: 40 }),
  );
  const formFields = paramsOf({
    user: fc.oneof(fc.constantFrom(ALICE.name, 'bob', 'nobody', ''), fc.string({ maxLength: 30 })),
    password: fc.oneof(fc.constant(ALICE.password), fc.string({ maxLength: 30 })),
    requesttoken: requestToken,
    token,
    redirect_url: fc.oneof(
      fc.constantFrom(
        '/index.php/apps/files/',
        '//evil.invalid',
        'https://evil.invalid/',
        '/index.php/apps/files//evil',
      ),
      fc.string(),
    ),
  });
  // Each route with the methods it answers; a tenth of the requests use another method.
  const route = fc.oneof(
    fc.constantFrom<[string, string[]]>(
      ['/ocs/v1.php/cloud/user', ['GET']],
      ['/ocs/v2.php/cloud/user', ['GET']],
      ['/ocs/v2.php/core/getapppassword', ['GET']],
      ['/ocs/v1.php/core/getapppassword', ['GET']],
      ['/ocs/v2.php/core/apppassword', ['DELETE']],
      ['/ocs/v1.php/core/apppassword', ['DELETE']],
      ['/index.php/login/v2', ['POST']],
      ['/login/v2', ['POST']],
      ['/index.php/login/v2/poll', ['POST']],
      ['/login/v2/poll', ['POST']],
      ['/index.php/login/v2/grant', ['POST']],
      ['/login/v2/grant', ['POST']],
    ),
    token.map((t): [string, string[]] => [`/index.php/login/v2/flow/${encodeURIComponent(t)}`, ['GET', 'POST']]),
    token.map((t): [string, string[]] => [`/login/v2/flow/${encodeURIComponent(t)}`, ['GET', 'POST']]),
  );
  return fc
    .record({
      pick: fc.nat(),
      other: oneIn(10, fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'HEAD', 'OPTIONS')),
      route,
      query: queryString(['format', 'token'], fc.oneof(fc.constantFrom('json', 'xml'), fc.string({ maxLength: 20 }))),
      auth: fc.option(auth, { freq: 3 }),
      api: apiRequestHeader,
      cookie,
      userAgent: fc.option(fc.oneof(headerValue, fc.constant('x'.repeat(10000)))),
      requestTokenHeader: oneIn(3, requestToken),
      fields: fc.option(formFields, { freq: 4 }),
      style: bodyStyle,
      raw: oneIn(8, hostileJson.map(toJson)),
    })
    .map((r): Probe => {
      const headers: Record<string, string> = { ...r.api };
      if (r.auth) headers.Authorization = r.auth;
      if (r.cookie !== null) headers.Cookie = r.cookie;
      if (r.userAgent !== null) headers['User-Agent'] = r.userAgent;
      if (r.requestTokenHeader !== null) headers.requesttoken = r.requestTokenHeader;
      const payload = bodyOf(r.raw, r.fields, r.style);
      if (payload) headers['Content-Type'] = payload.type;
      const body = payload?.body;
      const [route, methods] = r.route;
      return { method: r.other ?? methods[r.pick % methods.length]!, path: `${route}${r.query}`, headers, body };
    });
}

describe('adversarial: accounts and Login Flow v2', () => {
  it('keeps every invariant', async () => {
    await runFamily(target, probe(), { numRuns: 150 });
  });
});
