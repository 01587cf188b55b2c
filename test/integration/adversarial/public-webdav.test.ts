import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { BOB, aliceLink, basic, runFamily, startTarget, type Target } from './harness';
import { davProbe } from './dav-generators';

// /public.php/webdav as a link's visitors and federated peers use it: Basic "token:password" for read-only, upload,
// file-drop, password-protected and file links, forged and bob's tokens, with the same hostile WebDAV requests as the
// user's own WebDAV.

let target: Target;
/** Paths inside the shared folders (/docs, /docs/sub, /empty) and the shared file. */
const PUBLIC_EXISTING = ['', '/a.txt', '/sub', '/sub/b.txt', '/b.txt'];
const credentials: string[] = [];

beforeAll(async () => {
  target = await startTarget();
  const read = await aliceLink(target, { path: '/docs' });
  const protectedLink = await aliceLink(target, { path: '/docs', password: 'link-pw' });
  const file = await aliceLink(target, { path: '/range.bin' });
  const drop = await aliceLink(target, { path: '/empty', permissions: '4' });
  const upload = await aliceLink(target, { path: '/docs/sub', permissions: '15' });
  credentials.push(
    basic(read.token, ''),
    basic(read.token, 'x'),
    basic(protectedLink.token, 'link-pw'),
    basic(protectedLink.token, ''),
    basic(file.token, ''),
    basic(drop.token, ''),
    basic(upload.token, ''),
    basic(upload.token, 'anything'),
  );
  const bobs = await aliceLink(target, { path: '/private' }, BOB);
  target.secrets.push(bobs.token);
});
afterAll(async () => target?.node.stop());

describe('adversarial: public WebDAV', () => {
  it('keeps every invariant', async () => {
    const auth = fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom(...credentials) },
      { weight: 1, arbitrary: fc.constantFrom(undefined, 'Basic !!!', basic('', ''), basic('a'.repeat(3000), 'x')) },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 10 })).map(([u, p]) => basic(u, p)),
      },
    );
    await runFamily(
      target,
      davProbe(
        target,
        ['/public.php/webdav', '/public.php/webdav/', '/public.php/dav', '/public.php/webdav%2f..'],
        PUBLIC_EXISTING,
        auth,
      ),
      { numRuns: 150 },
    );
  });
});
