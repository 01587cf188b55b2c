import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ALICE, basic, loginSession, ocsAsAlice, runFamily, send, startTarget, type Probe, type Target } from './harness';
import { aliceAuth, apiRequestHeader, bodyStyle, encodeParams, headerValue, hostileJson, oneIn, paramsOf, queryString } from './generators';

// Accounts and Login Flow v2: cloud/user, app passwords (create, revoke), and every step of the login flow (start, the
// flow page, its login form, grant, poll) with real and forged tokens, sessions and request tokens.

let target: Target;
let flow: { loginToken: string; pollToken: string };
let anon: { cookie: string; requestToken: string };
let alice: { cookie: string; requestToken: string };
const appPasswords: string[] = [];

beforeAll(async () => {
  target = await startTarget();
  const started = await send(target, { method: 'POST', path: '/index.php/login/v2', headers: { 'User-Agent': 'adversarial' } });
  const body = JSON.parse(started.body.toString('utf8')) as { poll: { token: string }; login: string };
  flow = { pollToken: body.poll.token, loginToken: body.login.split('/').pop() ?? '' };
  const page = await send(target, { method: 'GET', path: `/index.php/login/v2/flow/${flow.loginToken}` });
  anon = {
    cookie: String(page.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '',
    requestToken: /data-requesttoken="([^"]+)"/.exec(page.body.toString('utf8'))?.[1] ?? '',
  };
  alice = await loginSession(target);
  for (let i = 0; i < 3; i++) {
    appPasswords.push((await ocsAsAlice(target, 'GET', '/ocs/v2.php/core/getapppassword') as { apppassword: string }).apppassword);
  }
});
afterAll(async () => target?.node.stop());

function probe(): fc.Arbitrary<Probe> {
  const token = fc.oneof(
    fc.constant(flow.loginToken), fc.constant(flow.pollToken),
    fc.string({ maxLength: 70 }), fc.constantFrom('', '..', '%00', 'a'.repeat(5000)),
  );
  const auth = fc.oneof(aliceAuth, fc.constantFrom(...appPasswords).map((p) => basic(ALICE.name, p)));
  const cookie = fc.option(fc.oneof(fc.constant(anon.cookie), fc.constant(alice.cookie), headerValue.map((v) => `atc_session=${v}`), headerValue));
  const requestToken = fc.oneof(fc.constant(anon.requestToken), fc.constant(alice.requestToken), fc.string({ maxLength: 40 }));
  const formFields = paramsOf({
    user: fc.oneof(fc.constantFrom(ALICE.name, 'bob', 'nobody', ''), fc.string({ maxLength: 30 })),
    password: fc.oneof(fc.constant(ALICE.password), fc.string({ maxLength: 30 })),
    requesttoken: requestToken, token,
    redirect_url: fc.oneof(fc.constantFrom('/index.php/apps/files/', '//evil.invalid', 'https://evil.invalid/', '/index.php/apps/files//evil'), fc.string()),
  });
  const route = fc.oneof(
    fc.constantFrom('/ocs/v1.php/cloud/user', '/ocs/v2.php/cloud/user', '/ocs/v2.php/core/getapppassword', '/ocs/v1.php/core/getapppassword',
      '/ocs/v2.php/core/apppassword', '/ocs/v1.php/core/apppassword', '/index.php/login/v2', '/login/v2', '/index.php/login/v2/poll',
      '/login/v2/poll', '/index.php/login/v2/grant', '/login/v2/grant'),
    token.map((t) => `/index.php/login/v2/flow/${encodeURIComponent(t)}`),
    token.map((t) => `/login/v2/flow/${encodeURIComponent(t)}`),
  );
  return fc.record({
    method: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('GET', 'POST', 'DELETE') }, { weight: 1, arbitrary: fc.constantFrom('PUT', 'HEAD', 'OPTIONS') }),
    route, query: queryString(['format', 'token'], fc.oneof(fc.constantFrom('json', 'xml'), fc.string({ maxLength: 20 }))),
    auth: fc.option(auth, { freq: 3 }), api: apiRequestHeader, cookie,
    userAgent: fc.option(fc.oneof(headerValue, fc.constant('x'.repeat(10000)))),
    requestTokenHeader: oneIn(3, requestToken),
    fields: fc.option(formFields, { freq: 4 }), style: bodyStyle, raw: oneIn(8, hostileJson.map((v) => JSON.stringify(v) ?? '')),
  }).map((r): Probe => {
    const headers: Record<string, string> = { ...r.api };
    if (r.auth) headers.Authorization = r.auth;
    if (r.cookie !== null) headers.Cookie = r.cookie;
    if (r.userAgent !== null) headers['User-Agent'] = r.userAgent;
    if (r.requestTokenHeader !== null) headers.requesttoken = r.requestTokenHeader;
    let body: string | undefined;
    if (r.raw !== null) {
      body = r.raw;
      headers['Content-Type'] = 'application/json';
    } else if (r.fields) {
      const encoded = encodeParams(r.fields, r.style);
      body = encoded.body;
      headers['Content-Type'] = encoded.type;
    }
    return { method: r.method, path: `${r.route}${r.query}`, headers, body };
  });
}

describe('adversarial: accounts and Login Flow v2', () => {
  it('keeps every invariant', async () => {
    await runFamily(target, probe(), { numRuns: 200 });
  });
});
