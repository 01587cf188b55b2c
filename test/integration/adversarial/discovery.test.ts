import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runFamily, startTarget, type Probe, type Target } from './harness';
import { aliceAuth, apiRequestHeader, encodeBytes, headerValue, oneIn, queryString, rawSubPath } from './generators';

// Discovery (status.php, ocs-provider, ocm-provider, .well-known/ocm), capabilities, and the router itself: any method
// on any path, including paths no route knows, with hostile query strings and headers.

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => target?.node.stop());

const KNOWN = [
  '/status.php',
  '/ocs-provider/',
  '/ocs-provider',
  '/ocs-provider/index.php',
  '/ocm-provider/',
  '/ocm-provider',
  '/.well-known/ocm',
  '/ocm-provider/index.php',
  '/ocs/v1.php/cloud/capabilities',
  '/ocs/v2.php/cloud/capabilities',
  '/index.php/ocm-provider',
  '/.well-known/caldav',
  '/ocs/v3.php/cloud/capabilities',
  '/ocs/v2.php/cloud',
  '/ocs/v2.php',
  '/index.php',
  '/',
  '/remote.php',
  '/public.php',
  '/status.php/x',
  '//status.php',
  '/STATUS.PHP',
  '/status.php%00',
  '/status.php;x',
  '/%2e%2e/status.php',
  '/index.php/s',
  '/s',
  '/s/',
  '/core/js/add-share.js',
];

function probe(): fc.Arbitrary<Probe> {
  return fc
    .record({
      method: fc.oneof(
        { weight: 6, arbitrary: fc.constant('GET') },
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            'POST',
            'PUT',
            'DELETE',
            'PATCH',
            'HEAD',
            'OPTIONS',
            'PROPFIND',
            'MKCOL',
            'MOVE',
            'CONNECT-ISH',
            'M-SEARCH',
          ),
        },
      ),
      path: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...KNOWN) },
        { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...KNOWN), rawSubPath).map(([a, b]) => `${a}${b}`) },
        { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => `/${encodeBytes(s)}`) },
        { weight: 1, arbitrary: fc.integer({ min: 2000, max: 7000 }).map((n) => `/${'a/'.repeat(n)}`) },
      ),
      query: queryString(
        ['format', 'format', 'remote', 'path', 'x'],
        fc.oneof(fc.constantFrom('json', 'xml', 'JSON', '', 'html'), fc.string({ maxLength: 20 })),
      ),
      auth: fc.option(aliceAuth, { freq: 2 }),
      api: apiRequestHeader,
      accept: fc.option(
        fc.oneof(
          fc.constantFrom('application/json', 'application/xml', 'text/html', '*/*', 'application/json;q=0'),
          headerValue,
        ),
      ),
      origin: oneIn(4, fc.oneof(fc.constantFrom('https://evil.invalid', 'null'), headerValue)),
      body: oneIn(3, fc.string({ maxLength: 300 })),
    })
    .map((r): Probe => {
      const headers: Record<string, string> = { ...r.api };
      if (r.auth) headers.Authorization = r.auth;
      if (r.accept !== null) headers.Accept = r.accept;
      if (r.origin !== null) headers.Origin = r.origin;
      return { method: r.method, path: `${r.path}${r.query}`, headers, body: r.body ?? undefined };
    });
}

describe('adversarial: discovery, capabilities and unknown routes', () => {
  it('keeps every invariant', async () => {
    await runFamily(target, probe(), { numRuns: 150 });
  });
});
