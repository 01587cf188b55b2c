import fc from 'fast-check';
import { ALICE, BOB, basic, type Target } from './harness';

// Building blocks for hostile requests, shared by the endpoint families. Anything that could make the node call
// another server (remotes, cloud ids) is built only from `remote…` generators, which point at the closed 127.0.0.1
// port or are malformed beyond any DNS lookup: the suite never leaves 127.0.0.1.

/** Percent-encodes every byte that is not unreserved, so any string (even lone surrogates) becomes a sendable path. */
export function encodeBytes(value: string | Uint8Array): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  let out = '';
  for (const byte of bytes) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9._~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const controlChars = fc.string({
  unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 4,
});

/** A decoded file name: ordinary, Unicode (both normal forms), control characters, traversal, separators, very long. */
export const plainName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'docs',
    'a.txt',
    'sub',
    'b.txt',
    'Ünïcødé.txt',
    'empty',
    'range.bin',
    'private',
    'secret.txt',
    'bob',
    'alice',
  ),
  fc.constantFrom(
    '..',
    '.',
    '...',
    '',
    ' ',
    '.upload-1',
    '~',
    'x\\..\\y',
    'a/b',
    '../bob',
    '..\\bob',
    'nul\0.txt',
    'CON',
    '\u202Etxt.exe',
  ),
  fc.constantFrom(
    'Ünïcødé.txt'.normalize('NFD'),
    'é'.normalize('NFC'),
    'é'.normalize('NFD'),
    'ﬁ',
    'İ',
    '\uFEFFbom',
    '\u200Bzw',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
  fc.tuple(fc.string({ maxLength: 4 }), controlChars, fc.string({ maxLength: 4 })).map(([a, c, b]) => `${a}${c}${b}`),
  fc.integer({ min: 200, max: 400 }).map((n) => 'n'.repeat(n)),
  fc.integer({ min: 60, max: 120 }).map((n) => '€'.repeat(n)),
);

const KNOWN_NAMES = ['docs', 'a.txt', 'sub', 'b.txt', 'Ünïcødé.txt', 'empty', 'range.bin', 'new', 'new.txt'];

/** One raw (still encoded) path segment: mostly names that exist (so requests get past lookup), then every trick. */
export const rawSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...KNOWN_NAMES).map(encodeBytes) },
  { weight: 4, arbitrary: plainName.map(encodeBytes) },
  { weight: 1, arbitrary: plainName.filter((n) => /^[\x21-\x7e]*$/.test(n) && !/[?#%]/.test(n)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E%2e',
      '.%2e',
      '%2e',
      '..%2f..',
      '%2f',
      '%5c',
      '..%5c..',
      '%00',
      'a%00.txt',
      '%c0%ae%c0%ae',
      '%252e%252e',
      '%',
      '%zz',
      '%e2%80%ae',
      '%ff%fe',
      '..%2fbob',
      '%2e%2e%2fbob%2fprivate',
      ';',
      '%3b',
      'a;b=c',
      '*',
    ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }).map(encodeBytes) },
);

/** Paths that exist in alice's seeded tree (encoded). */
export const EXISTING_PATHS = [
  '',
  '/docs',
  '/docs/a.txt',
  '/docs/sub',
  '/docs/sub/b.txt',
  `/${encodeBytes('Ünïcødé.txt')}`,
  '/empty',
  '/range.bin',
];

/** A raw path below some prefix: an existing one, maybe with more segments; sometimes doubled or trailing slashes. */
export function rawSubPathFrom(existing: string[]): fc.Arbitrary<string> {
  const more = fc.oneof(fc.constant([]), fc.array(rawSegment, { minLength: 1, maxLength: 3 }));
  return fc
    .tuple(fc.constantFrom(...existing), more, fc.boolean(), fc.integer({ min: 0, max: 9 }))
    .map(([start, segments, trailing, doubled]) => {
      const rest = segments.length > 0 ? `/${segments.join(doubled === 0 ? '//' : '/')}` : '';
      return `${start}${rest}${trailing || start + rest === '' ? '/' : ''}`;
    });
}

export const rawSubPath = rawSubPathFrom(EXISTING_PATHS);

/** A decoded path as given in query parameters or form fields (`path=`, `dir=`, `files=`). */
export const plainPath: fc.Arbitrary<string> = fc.oneof(
  fc.array(plainName, { maxLength: 4 }).map((names) => `/${names.join('/')}`),
  fc.constantFrom(
    '/',
    '',
    '/docs',
    'docs/sub',
    '/docs/a.txt',
    '/../bob/private/secret.txt',
    '/../../outside-secret.txt',
    '../beside-secret.txt',
    '//docs',
    '/docs/../..',
    '/./docs',
    '\\..\\bob',
    '/range.bin/',
    '/empty/',
  ),
  fc.string({ maxLength: 40 }),
);

/** A short query string of random and meaningful keys. */
export const queryString = (
  keys: string[],
  value: fc.Arbitrary<string> = fc.string({ maxLength: 30 }),
): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })), value), { maxLength: 4 })
    .map((pairs) =>
      pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeBytes(k)}=${encodeBytes(v)}`).join('&')}`,
    );

/** `arb` in about one of `n` cases, otherwise null (fc.option's `freq` is the other way round: 1/freq is null). */
export function oneIn<T>(n: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

/** Something a header can carry (Node refuses control characters in header values). */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc
    .string({ unit: 'grapheme-ascii', maxLength: 60 })
    .map((s) => [...s].filter((c) => c === '\t' || (c >= ' ' && c !== '\x7f')).join('')),
  fc.integer({ min: 500, max: 8000 }).map((n) => 'h'.repeat(n)),
  fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b.filter((x) => x >= 0x20 && x !== 0x7f)).toString('latin1')),
);

/** Authorization for alice's own calls, and the wrong ones an attacker tries. Mostly right, so routes are reached. */
export const aliceAuth: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(basic(ALICE.name, ALICE.password)) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      basic(ALICE.name, 'wrong'),
      basic(BOB.name, 'wrong'),
      basic('', ''),
      'Basic !!!',
      'Basic ',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      'Bearer abc',
      basic('ALICE', ALICE.password),
      basic(`${ALICE.name}\0`, ALICE.password),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([u, p]) => basic(u, p)),
  },
);

/** `OCS-APIRequest: true` on most calls (the CSRF guard requires it on authenticated state changes), sometimes not. */
export const apiRequestHeader: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ 'OCS-APIRequest': 'true' }) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: headerValue.map((v) => ({ 'OCS-APIRequest': v })) },
);

/** Remotes a node might fetch: always the closed local port, in every spelling; or malformed beyond resolving. */
export function remote(target: Target): fc.Arbitrary<string> {
  const host = target.closedHost;
  return fc.oneof(
    fc.constantFrom(
      host,
      `http://${host}`,
      `https://${host}`,
      `http://${host}/`,
      `http://${host}/sub/dir`,
      `${host}/index.php/s/abc`,
      `HTTP://${host}`,
      `http://${host}/?x=1`,
      `http://${host}#frag`,
      ` ${host} `,
    ),
    fc.string({ maxLength: 20 }).map((path) => `http://${host}/${encodeBytes(path)}`),
    // Not a host name at all (spaces and angle brackets never resolve).
    fc.string({ maxLength: 20 }).map((junk) => `< ${junk} >`),
    fc.constant(''),
  );
}

/** Cloud ids `user@remote`, where remote is the closed port (or malformed). */
export function cloudId(target: Target): fc.Arbitrary<string> {
  return fc.oneof(
    fc
      .tuple(fc.oneof(fc.constantFrom('alice', 'bob', 'nobody', 'a@b'), fc.string({ maxLength: 20 })), remote(target))
      .map(([u, r]) => `${u}@${r}`),
    fc.constantFrom('', '@', 'alice', 'alice@', '@@', `@${target.closedHost}`),
    fc.string({ maxLength: 20 }).map((s) => s.replace(/@/g, '')),
  );
}

/** JSON values that look like something else to naive code (built by JSON.parse, as a request body would be). */
export const trickyJson: fc.Arbitrary<unknown> = fc
  .constantFrom(
    '{"toString":1}',
    '{"valueOf":{}}',
    '{"toString":"x","valueOf":"y"}',
    '{"__proto__":{"polluted":true}}',
    '{"length":1e9}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    `${'['.repeat(64)}${']'.repeat(64)}`,
  )
  .map((json) => JSON.parse(json) as unknown);

/**
 * JSON text spliced into a body as is. Used for nesting deep enough that recursive code on the server (String(),
 * JSON.stringify, naive walkers) overflows the stack: the test itself never builds or walks such a value.
 */
export class RawJson {
  constructor(
    readonly label: string,
    readonly json: string,
  ) {}
  [fc.toStringMethod](): string {
    return `RawJson(${this.label})`;
  }
}

export const deepJson: fc.Arbitrary<RawJson> = fc.constantFrom(
  new RawJson('50k nested arrays', `${'['.repeat(50_000)}${']'.repeat(50_000)}`),
  new RawJson('20k nested objects', `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`),
);

/** Any JSON value, with the shapes that trip naive code: prototype keys, deep nesting, huge strings. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 30 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
    trickyJson,
    deepJson,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'length'),
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

/** JSON text of a value; RawJson parts are spliced in as they are. */
export function toJson(value: unknown): string {
  const raw: string[] = [];
  const text =
    JSON.stringify(value, (_key, v: unknown) => {
      if (!(v instanceof RawJson)) return v;
      raw.push(v.json);
      return `\u0000RAW${raw.length - 1}\u0000`;
    }) ?? '';
  return text.replace(/"\\u0000RAW(\d+)\\u0000"/g, (_m, i: string) => raw[Number(i)] ?? 'null');
}

/** A request body for a map of parameters: form, JSON, or JSON with the wrong content type. */
export function encodeParams(
  params: Record<string, unknown>,
  style: 'form' | 'json' | 'json-as-form' | 'form-as-json',
): { body: string; type: string } {
  const json = toJson(params);
  const form = Object.entries(params)
    .map(([k, v]) => `${encodeBytes(k)}=${encodeBytes(typeof v === 'string' ? v : toJson(v))}`)
    .join('&');
  switch (style) {
    case 'form':
      return { body: form, type: 'application/x-www-form-urlencoded' };
    case 'json':
      return { body: json, type: 'application/json' };
    case 'json-as-form':
      return { body: json, type: 'application/x-www-form-urlencoded' };
    case 'form-as-json':
      return { body: form, type: 'application/json; charset=utf-8' };
  }
}

/** A probe's body: raw hostile JSON when there is some, else its fields in the chosen style, else none. */
export function bodyOf(
  raw: string | null,
  fields: Record<string, unknown> | null,
  style: 'form' | 'json' | 'json-as-form' | 'form-as-json',
): { body: string; type: string } | undefined {
  if (raw !== null) return { body: raw, type: 'application/json' };
  return fields ? encodeParams(fields, style) : undefined;
}

export const bodyStyle = fc.constantFrom(
  'form',
  'json',
  'json',
  'form',
  'json-as-form',
  'form-as-json',
) as fc.Arbitrary<'form' | 'json' | 'json-as-form' | 'form-as-json'>;

/**
 * Parameters of an endpoint: each known key present (absent in one of `absentOneIn` cases), with a value from its own
 * generator or any hostile JSON value (for string-only keys the generic value never is a string that could name a
 * remote), plus random extra keys.
 */
export function paramsOf(
  known: Record<string, fc.Arbitrary<unknown>>,
  { absentOneIn = 4, wrongTypeOneIn = 6 } = {},
): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(known).map(([key, arb]) =>
    fc
      .option(
        fc.oneof(
          { weight: wrongTypeOneIn - 1, arbitrary: arb },
          { weight: 1, arbitrary: hostileJson.filter((v) => typeof v !== 'string') },
        ),
        { freq: absentOneIn },
      )
      .map((value) => [key, value] as const),
  );
  const extra = fc.dictionary(
    fc.string({ maxLength: 8 }).filter((k) => !Object.hasOwn(known, k)),
    hostileJson,
    { maxKeys: 2 },
  );
  return fc.tuple(fc.tuple(...entries), extra).map(([pairs, more]) => {
    const out: Record<string, unknown> = { ...more };
    for (const [key, value] of pairs) if (value !== null) out[key] = value;
    return out;
  });
}
