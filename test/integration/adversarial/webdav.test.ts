import { afterAll, beforeAll, describe, it } from 'vitest';
import { runFamily, startTarget, type Target } from './harness';
import { EXISTING_PATHS, aliceAuth } from './generators';
import { DAV_PREFIXES, davProbe } from './dav-generators';

// WebDAV of the user's own files (/remote.php/webdav, /remote.php/dav/files/USER), as alice and as strangers.

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => target?.node.stop());

describe('adversarial: WebDAV of the own files', () => {
  it('keeps every invariant for hostile paths, names, headers and bodies', async () => {
    await runFamily(target, davProbe(target, DAV_PREFIXES, EXISTING_PATHS, aliceAuth), { numRuns: 200 });
  });
});
