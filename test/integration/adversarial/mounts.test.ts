import { rmSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../helpers/node';
import { ALICE, aliceLink, basic, runFamily, send, startTarget, type Probe, type Target } from './harness';
import { aliceAuth, apiRequestHeader, encodeBytes, headerValue, oneIn, rawSegment } from './generators';
import { propfindBody } from './dav-generators';

// Mounted shares read through: alice's node mounts two links of a second, real node (a folder and a file) and the
// generators read, write, move and delete inside and around the mount points. The second node also holds a secret
// that is not shared: it must never come through a mount.

let target: Target;
let sharer: TestNode;
const SHARER_SECRET = `SHARER-SECRET-${Math.random().toString(36).slice(2)}`;
const MOUNTS = ['Remote Folder', 'remote.txt'];

beforeAll(async () => {
  target = await startTarget();
  sharer = await startNode({
    users: [{ name: 'carol', password: 'carol-pw' }],
    files: {
      carol: {
        'pub/one.txt': 'one',
        'pub/sub/two.txt': 'two',
        'pub/big.bin': 'b'.repeat(5000),
        'file.txt': 'file',
        'private/secret.txt': SHARER_SECRET,
      },
    },
  });
  target.secrets.push(SHARER_SECRET);
  const carol = { name: 'carol', password: 'carol-pw' };
  const sharerTarget = { ...target, node: sharer };
  links.push(
    (await aliceLink(sharerTarget, { path: '/pub' }, carol)).token,
    (await aliceLink(sharerTarget, { path: '/file.txt' }, carol)).token,
  );
  await mountMissing();
});

const links: string[] = [];

/** Mounts the sharer's links under their names again if a generated DELETE unmounted them (or a file took the name). */
async function mountMissing(): Promise<void> {
  const auth = { Authorization: basic(ALICE.name, ALICE.password), 'OCS-APIRequest': 'true' };
  const listed = await send(target, {
    method: 'GET',
    path: '/ocs/v2.php/apps/files_sharing/api/v1/remote_shares?format=json',
    headers: auth,
  });
  const mounted = new Set(
    (JSON.parse(listed.body.toString()) as { ocs: { data: { mountpoint: string }[] } }).ocs.data.map(
      (s) => s.mountpoint,
    ),
  );
  for (const [i, name] of MOUNTS.entries()) {
    if (mounted.has(`/${name}`)) continue;
    rmSync(path.join(target.node.filesOf(ALICE.name), name), { recursive: true, force: true });
    const answer = await send(target, {
      method: 'POST',
      path: '/index.php/apps/files_sharing/external',
      headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ remote: sharer.url, token: links[i] ?? '', name, password: '' }).toString(),
    });
    expect(`${answer.status} ${answer.body.toString()}`).toBe('200 ');
  }
}
afterAll(async () => {
  await target?.node.stop();
  await sharer?.stop();
});

function probe(): fc.Arbitrary<Probe> {
  const mountPath = fc
    .tuple(
      fc.constantFrom(...MOUNTS.map(encodeBytes)),
      fc.oneof(
        fc.constantFrom('', '/one.txt', '/sub', '/sub/two.txt', '/big.bin', '/nope', '/'),
        fc.array(rawSegment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`),
      ),
    )
    .map(([mount, rest]) => `/${mount}${rest}`);
  return fc
    .record({
      method: fc.oneof(
        {
          weight: 8,
          arbitrary: fc.constantFrom('PROPFIND', 'GET', 'HEAD', 'PUT', 'MKCOL', 'MOVE', 'DELETE', 'OPTIONS'),
        },
        { weight: 1, arbitrary: fc.constantFrom('COPY', 'PROPPATCH', 'LOCK') },
      ),
      prefix: fc.constantFrom('/remote.php/webdav', '/remote.php/dav/files/alice'),
      path: mountPath,
      auth: aliceAuth,
      api: apiRequestHeader,
      depth: fc.option(fc.constantFrom('0', '1', 'infinity')),
      range: oneIn(
        3,
        fc.oneof(
          fc.constantFrom('bytes=0-0', 'bytes=-1', 'bytes=4999-', 'bytes=99999-', 'bytes=10-5', 'bytes=0-1,2-3'),
          headerValue,
        ),
      ),
      destination: oneIn(
        2,
        fc
          .tuple(
            fc.constantFrom('/remote.php/webdav/', `/remote.php/webdav/${encodeBytes(MOUNTS[0]!)}/`),
            fc.constantFrom('moved', 'docs/x', encodeBytes(MOUNTS[1]!), 'one.txt'),
          )
          .map(([a, b]) => `${target.node.url}${a}${b}`),
      ),
      propfind: propfindBody(target),
      data: fc.string({ maxLength: 200 }),
    })
    .map((r): Probe => {
      const headers: Record<string, string> = { ...r.api };
      if (r.auth) headers.Authorization = r.auth;
      if (r.depth !== null) headers.Depth = r.depth;
      if (r.range !== null) headers.Range = r.range;
      if (r.destination !== null) headers.Destination = r.destination;
      const body = r.method === 'PROPFIND' ? r.propfind : r.method === 'PUT' ? r.data : undefined;
      return { method: r.method, path: `${r.prefix}${r.path}`, headers, body };
    });
}

describe('adversarial: reading through mounted shares', () => {
  it('keeps every invariant', async () => {
    await runFamily(target, probe(), { numRuns: 150, beforeBatch: mountMissing });
  });
});
