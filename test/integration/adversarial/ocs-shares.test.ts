import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { BOB, aliceLink, runFamily, startTarget, type Probe, type Target } from './harness';
import {
  aliceAuth,
  apiRequestHeader,
  bodyStyle,
  cloudId,
  encodeParams,
  hostileJson,
  toJson,
  oneIn,
  paramsOf,
  plainPath,
  queryString,
} from './generators';

// OCS link and federated shares (create, list, get, update, delete) with arbitrary parameters, in forms, JSON and the
// query string, on v1 and v2, and ids that exist, belong to nobody, or are not numbers at all.

let target: Target;
const ids: number[] = [];

beforeAll(async () => {
  target = await startTarget();
  ids.push(
    (await aliceLink(target, { path: '/docs' })).id,
    (await aliceLink(target, { path: '/docs/a.txt', password: 'pw' })).id,
  );
  // bob's link: alice must never see, change or delete it (its token would show up as a leak in the answers).
  const bobLink = await aliceLink(target, { path: '/private' }, BOB);
  ids.push(bobLink.id);
  target.secrets.push(bobLink.token);
});
afterAll(async () => target?.node.stop());

const BASES = ['/ocs/v1.php/apps/files_sharing/api/v1/shares', '/ocs/v2.php/apps/files_sharing/api/v1/shares'];

function probe(): fc.Arbitrary<Probe> {
  const id = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ids).map(String) },
    { weight: 2, arbitrary: fc.integer({ min: -5, max: 50 }).map(String) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'abc',
        '1e3',
        '0x10',
        '1.5',
        '99999999999999999999',
        '-0',
        '%00',
        '1%2f2',
        '..',
        '%201',
        'NaN',
        'Infinity',
      ),
    },
  );
  const fields = paramsOf({
    path: plainPath,
    shareType: fc.oneof(fc.constantFrom('3', '6', '0', '1', '4', '-1', '3.0', ' 3'), fc.integer({ min: -2, max: 12 })),
    shareWith: cloudId(target),
    password: fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer({ min: 1000, max: 200_000 }).map((n) => 'p'.repeat(n)),
    ),
    expireDate: fc.oneof(
      fc.constantFrom(
        '2099-12-31',
        '2000-01-01',
        '2099-02-30',
        '',
        'tomorrow',
        '"2099-01-01"',
        '2099-01-01T00:00:00Z',
        '99999-01-01',
      ),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.string({ maxLength: 20 }),
    ),
    permissions: fc.oneof(
      fc.constantFrom('1', '3', '4', '5', '7', '15', '31', '0', '-1', '1.5', '1e1', ''),
      fc.integer(),
    ),
    publicUpload: fc.oneof(fc.constantFrom('true', 'false', '1', '0', 'yes'), fc.boolean()),
    name: fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.integer({ min: 1000, max: 100_000 }).map((n) => 'n'.repeat(n)),
    ),
    label: fc.string({ maxLength: 40 }),
  });
  return fc
    .record({
      method: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('POST', 'GET', 'PUT', 'DELETE') },
        { weight: 1, arbitrary: fc.constantFrom('PATCH', 'HEAD') },
      ),
      base: fc.constantFrom(...BASES),
      id,
      withId: fc.integer({ min: 0, max: 9 }),
      query: queryString(
        ['format', 'path', 'shared_with_me', 'reshares', 'subfiles'],
        fc.oneof(fc.constantFrom('json', 'xml', 'true', '/docs', '/'), fc.string({ maxLength: 20 })),
      ),
      auth: aliceAuth,
      api: apiRequestHeader,
      fields,
      style: bodyStyle,
      raw: oneIn(10, hostileJson.map(toJson)),
    })
    .map((r): Probe => {
      const headers: Record<string, string> = { ...r.api };
      if (r.auth) headers.Authorization = r.auth;
      const encoded = encodeParams(r.fields, r.style);
      headers['Content-Type'] = r.raw !== null ? 'application/json' : encoded.type;
      // Mostly the shapes the API has (POST and list on the collection, the rest on an id), sometimes the others.
      const byId = r.withId === 0 || (r.method === 'GET' ? r.withId > 5 : r.method !== 'POST' && r.method !== 'HEAD');
      const path = `${r.base}${byId ? `/${r.id}` : ''}${r.query}`;
      return { method: r.method, path, headers, body: r.raw ?? encoded.body };
    });
}

describe('adversarial: OCS shares', () => {
  it('keeps every invariant', async () => {
    await runFamily(target, probe(), { numRuns: 80 });
  });
});
