import { describe, expect, it } from 'vitest';
import { InstanceError } from '@/lib/instance/errors';
import { diagnose } from '@/lib/share-out/diagnostics';
import { errorText } from '@/components/share-out/error-text';
import { ProblemError } from '@/lib/problem';
import { qrMatrix, qrPath } from '@/lib/share-out/qr';
import { DEFAULTS, expiryAfter, loadDefaults, normaliseDefaults, saveDefaults } from '@/lib/share-out/settings';
import { fakeFetch, json, ocs } from '../support/fake-fetch';

describe('share defaults', () => {
  it('start with 7 days and a password, and survive a save', async () => {
    expect(await loadDefaults()).toEqual(DEFAULTS);
    await saveDefaults({ expiryDays: 30, passwordByDefault: false });
    expect(await loadDefaults()).toEqual({ expiryDays: 30, passwordByDefault: false });
  });

  it.each([
    null,
    'x',
    { expiryDays: -1 },
    { expiryDays: 2.5 },
    { expiryDays: 99999 },
    { expiryDays: '7' },
    { passwordByDefault: 'yes' },
  ])('fall back per field for %j', (stored) => {
    const clean = normaliseDefaults(stored);
    expect(Number.isInteger(clean.expiryDays) && clean.expiryDays >= 0 && clean.expiryDays <= 3650).toBe(true);
    expect(typeof clean.passwordByDefault).toBe('boolean');
  });

  it('computes expiry dates in UTC days', () => {
    const today = new Date(Date.UTC(2026, 11, 30, 23, 30));
    expect(expiryAfter(2, today)).toBe('2027-01-01');
    expect(expiryAfter(0, today)).toBe('');
  });
});

describe('errorText', () => {
  it('says what happened and what to do for every kind of failure', () => {
    expect(errorText(new InstanceError('unreachable'))).toBe(
      'Your cloud could not be reached. Check your connection, then try again.',
    );
    expect(errorText(new InstanceError('timeout'))).toContain('Try again in a moment');
    expect(
      errorText(
        new InstanceError('server-error', 'The server had an internal error (HTTP 502). Try again later.', 502),
      ),
    ).toBe('Your cloud had an internal error. Try again later.');
    expect(errorText(new InstanceError('rejected', 'The server refused the request (HTTP 400).', 400))).toBe(
      'Your cloud refused the request. Check your choices and try again.',
    );
    expect(
      errorText(new InstanceError('forbidden', 'Public upload is only possible for publicly shared folders')),
    ).toContain('“Public upload is only possible for publicly shared folders”');
    expect(errorText(new Error('disk full'))).toBe('Something went wrong: disk full. Try again.');
    expect(errorText('plain')).toBe('Something went wrong: plain. Try again.');
    // A failure that knows its problem is worded as that problem, never as its code.
    expect(errorText(new ProblemError({ code: 'not-connected' }))).not.toContain('not-connected');
    expect(
      errorText(
        new InstanceError('bad-response', undefined, undefined, {
          problem: { code: 'not-a-cloud', server: 'https://x.example' },
        }),
      ),
    ).toBe('There is no ownCloud or Nextcloud at https://x.example (no status.php).');
  });
});

describe('diagnose', () => {
  const credentials = { baseUrl: 'https://cloud.example.com', loginName: 'alice', appPassword: 'pw' };
  const status = {
    installed: true,
    maintenance: false,
    version: '10.15.2.0',
    versionstring: '10.15.2',
    product: 'Add to Cloud companion',
    productname: 'Add to Cloud companion',
  };
  const capabilities = {
    capabilities: {
      files_sharing: {
        public: {
          enabled: true,
          password: { enforced: true },
          expire_date: { enabled: true, days: '14', enforced: true },
          upload: true,
        },
        federation: { outgoing: true, incoming: false },
      },
    },
  };

  it('reports the live status, the link policy and federation', async () => {
    const { impl } = fakeFetch({
      'GET /status.php': () => json(status),
      'GET /ocs/v2.php/cloud/capabilities': () => ocs(capabilities),
    });
    const report = await diagnose(credentials, { fetchImpl: impl });
    expect(report.live).toMatchObject({ kind: 'companion', version: '10.15.2', maintenance: false });
    expect(report.links).toMatchObject({
      enabled: true,
      expiry: { enforced: true, maxDays: 14 },
      passwordRequired: { view: true },
    });
    expect(report.federation).toEqual({ outgoing: true, incoming: false });
  });

  it('keeps what it learnt when one of the two questions fails', async () => {
    const { impl } = fakeFetch({
      'GET /status.php': () => json(status),
      'GET /ocs/v2.php/cloud/capabilities': () => ocs(null, 997),
    });
    const report = await diagnose(credentials, { fetchImpl: impl });
    expect(report.live?.kind).toBe('companion');
    expect((report.capabilitiesError as InstanceError).code).toBe('unauthorized');
    const down = await diagnose(credentials, { fetchImpl: () => Promise.reject(new TypeError('offline')) });
    expect((down.liveError as InstanceError).code).toBe('unreachable');
    expect(down.links).toBeUndefined();
  });

  it('says when status.php is not a cloud’s', async () => {
    const { impl } = fakeFetch({
      'GET /status.php': () => json({ hello: 'world' }),
      'GET /ocs/v2.php/cloud/capabilities': () => ocs(capabilities),
    });
    const report = await diagnose(credentials, { fetchImpl: impl });
    expect(report.liveError).toMatchObject({
      code: 'bad-response',
      problem: { code: 'not-a-cloud', server: credentials.baseUrl },
    });
  });
});

describe('qr', () => {
  it('draws one square per dark module inside the quiet zone', () => {
    expect(
      qrPath([
        [true, false],
        [false, true],
      ]),
    ).toBe('M4 4h1v1h-1zM5 5h1v1h-1z');
  });

  it('encodes a link as a square module matrix with the three finder patterns', () => {
    const matrix = qrMatrix('https://cloud.example.com/s/AbCdEf123456789')!;
    const size = matrix.length;
    expect(size).toBeGreaterThanOrEqual(21);
    expect((size - 17) % 4).toBe(0); // QR versions are 21, 25, 29, … modules wide
    expect(matrix.every((row) => row.length === size)).toBe(true);
    // Finder patterns: a dark 7×7 ring in three corners, with a light ring inside.
    for (const [r, c] of [
      [0, 0],
      [0, size - 7],
      [size - 7, 0],
    ] as const) {
      expect(matrix[r]![c]).toBe(true);
      expect(matrix[r + 6]![c + 6]).toBe(true);
      expect(matrix[r + 1]![c + 1]).toBe(false);
      expect(matrix[r + 3]![c + 3]).toBe(true);
    }
  });

  it('answers no matrix for a text too long for any QR code', () => {
    expect(qrMatrix('x'.repeat(5000))).toBeUndefined();
  });
});
