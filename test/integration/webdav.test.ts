import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startNode, type TestNode } from './helpers/node';
import { call, hrefs, PROPFIND_ALL } from './helpers/http';

let node: TestNode;
const ALICE: [string, string] = ['alice', 'alice-pw'];
let dav: string;

beforeAll(async () => {
  node = await startNode({
    users: [
      { name: 'alice', password: 'alice-pw' },
      { name: 'bob', password: 'bob-pw' },
    ],
    files: {
      alice: { 'hello.txt': 'hello world', 'Docs/a.md': '# a', 'Docs/sub/': '' },
      bob: { 'secret.txt': 'bob only' },
    },
  });
  dav = `${node.url}/remote.php/dav/files/alice`;
  // A symlink inside alice's tree that points into bob's: must never be followed.
  symlinkSync(node.filesOf('bob'), path.join(node.filesOf('alice'), 'escape'));
  writeFileSync(path.join(node.dataDir, 'outside.txt'), 'outside');
});
afterAll(async () => node?.stop());

describe('PROPFIND', () => {
  it('lists a folder at depth 1 with ownCloud properties', async () => {
    const response = await call(`${dav}/`, 'PROPFIND', { auth: ALICE, headers: { Depth: '1' }, body: PROPFIND_ALL });
    expect(response.status).toBe(207);
    const xml = await response.text();
    expect(hrefs(xml)).toEqual(
      expect.arrayContaining([
        '/remote.php/dav/files/alice/',
        '/remote.php/dav/files/alice/hello.txt',
        '/remote.php/dav/files/alice/Docs/',
      ]),
    );
    for (const prop of [
      'd:getlastmodified',
      'd:getetag',
      'd:getcontenttype',
      'd:getcontentlength',
      'd:resourcetype',
      'oc:id',
      'oc:fileid',
      'oc:permissions',
      'oc:size',
    ]) {
      expect(xml).toContain(`<${prop}>`);
    }
    expect(xml).toContain('<d:getcontentlength>11</d:getcontentlength>');
  });

  it('answers depth 0 with the item only, and the legacy /remote.php/webdav too', async () => {
    const xml = await (
      await call(`${node.url}/remote.php/webdav/Docs`, 'PROPFIND', { auth: ALICE, headers: { Depth: '0' } })
    ).text();
    expect(hrefs(xml)).toEqual(['/remote.php/webdav/Docs/']);
  });

  it('rejects malformed XML and a bad Depth', async () => {
    expect((await call(`${dav}/`, 'PROPFIND', { auth: ALICE, body: '<d:propfind' })).status).toBe(400);
    expect((await call(`${dav}/`, 'PROPFIND', { auth: ALICE, headers: { Depth: '7' } })).status).toBe(400);
  });
});

describe('GET, HEAD, Range', () => {
  it('downloads, honours ranges and answers HEAD', async () => {
    expect(await (await call(`${dav}/hello.txt`, 'GET', { auth: ALICE })).text()).toBe('hello world');
    const partial = await call(`${dav}/hello.txt`, 'GET', { auth: ALICE, headers: { Range: 'bytes=6-' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe('bytes 6-10/11');
    expect(await partial.text()).toBe('world');
    const suffix = await call(`${dav}/hello.txt`, 'GET', { auth: ALICE, headers: { Range: 'bytes=-3' } });
    expect(await suffix.text()).toBe('rld');
    const head = await call(`${dav}/hello.txt`, 'HEAD', { auth: ALICE });
    expect(head.headers.get('content-length')).toBe('11');
    expect((await call(`${dav}/hello.txt`, 'GET', { auth: ALICE, headers: { Range: 'bytes=50-60' } })).status).toBe(
      416,
    );
  });
});

describe('PUT, MKCOL, MOVE, DELETE', () => {
  it('creates, overwrites, moves and deletes', async () => {
    expect((await call(`${dav}/new.txt`, 'PUT', { auth: ALICE, body: 'v1' })).status).toBe(201);
    expect((await call(`${dav}/new.txt`, 'PUT', { auth: ALICE, body: 'v2' })).status).toBe(204);
    expect(readFileSync(path.join(node.filesOf('alice'), 'new.txt'), 'utf8')).toBe('v2');
    expect((await call(`${dav}/Made`, 'MKCOL', { auth: ALICE })).status).toBe(201);
    expect((await call(`${dav}/Made`, 'MKCOL', { auth: ALICE })).status).toBe(405);
    expect((await call(`${dav}/no/such/dir`, 'MKCOL', { auth: ALICE })).status).toBe(409);
    expect((await call(`${dav}/missing/x.txt`, 'PUT', { auth: ALICE, body: 'x' })).status).toBe(409);

    const moved = await call(`${dav}/new.txt`, 'MOVE', {
      auth: ALICE,
      headers: { Destination: `${dav}/Made/moved%20file.txt` },
    });
    expect(moved.status).toBe(201);
    expect(readFileSync(path.join(node.filesOf('alice'), 'Made', 'moved file.txt'), 'utf8')).toBe('v2');
    await call(`${dav}/other.txt`, 'PUT', { auth: ALICE, body: 'o' });
    const noOverwrite = await call(`${dav}/other.txt`, 'MOVE', {
      auth: ALICE,
      headers: { Destination: `${dav}/Made/moved%20file.txt`, Overwrite: 'F' },
    });
    expect(noOverwrite.status).toBe(412);
    const overwrite = await call(`${dav}/other.txt`, 'MOVE', {
      auth: ALICE,
      headers: { Destination: `${dav}/Made/moved%20file.txt`, Overwrite: 'T' },
    });
    expect(overwrite.status).toBe(204);

    expect((await call(`${dav}/Made`, 'DELETE', { auth: ALICE })).status).toBe(204);
    expect(existsSync(path.join(node.filesOf('alice'), 'Made'))).toBe(false);
    expect((await call(`${dav}/Made`, 'DELETE', { auth: ALICE })).status).toBe(404);
  });

  it("refuses a MOVE into another user's tree or without Destination", async () => {
    await call(`${dav}/m.txt`, 'PUT', { auth: ALICE, body: 'm' });
    const other = await call(`${dav}/m.txt`, 'MOVE', {
      auth: ALICE,
      headers: { Destination: `${node.url}/remote.php/dav/files/bob/m.txt` },
    });
    expect(other.status).toBe(403);
    const traversal = await call(`${dav}/m.txt`, 'MOVE', {
      auth: ALICE,
      headers: { Destination: `${dav}/%2e%2e/bob/m.txt` },
    });
    expect([400, 403]).toContain(traversal.status);
    expect((await call(`${dav}/m.txt`, 'MOVE', { auth: ALICE })).status).toBe(400);
    expect(existsSync(path.join(node.filesOf('bob'), 'm.txt'))).toBe(false);
  });
});

describe('path safety', () => {
  const hostile = [
    '/remote.php/dav/files/alice/%2e%2e/bob/secret.txt',
    '/remote.php/dav/files/alice/%2E%2E/%2E%2E/outside.txt',
    '/remote.php/dav/files/alice/Docs%2f..%2f..%2fbob%2fsecret.txt',
    '/remote.php/dav/files/alice/..%2f..%2foutside.txt',
    '/remote.php/dav/files/alice/hello.txt%00.png',
    '/remote.php/dav/files/alice/escape/secret.txt',
    '/remote.php/webdav/%2e%2e%2f%2e%2e%2foutside.txt',
    '/remote.php/webdav/%252e%252e/outside.txt',
    '/remote.php/dav/files/bob/secret.txt',
  ];
  it.each(hostile)('never serves a byte outside the user tree: %s', async (p) => {
    const response = await call(node.url + p, 'GET', { auth: ALICE });
    expect([400, 403, 404]).toContain(response.status);
    const body = await response.text();
    expect(body).not.toContain('bob only');
    expect(body).not.toContain('outside');
  });

  it('never writes outside the user tree', async () => {
    const attempts = [
      '/remote.php/dav/files/alice/%2e%2e/pwned.txt',
      '/remote.php/dav/files/alice/escape/pwned.txt',
      '/remote.php/dav/files/bob/pwned.txt',
    ];
    for (const p of attempts) {
      const response = await call(node.url + p, 'PUT', { auth: ALICE, body: 'pwned' });
      expect([400, 403, 404]).toContain(response.status);
    }
    expect(existsSync(path.join(node.filesOf('bob'), 'pwned.txt'))).toBe(false);
    expect(existsSync(path.join(node.dataDir, 'files', 'pwned.txt'))).toBe(false);
  });

  it('requires authentication and rejects wrong passwords', async () => {
    expect((await call(`${dav}/hello.txt`)).status).toBe(401);
    expect((await call(`${dav}/hello.txt`, 'GET', { auth: ['alice', 'wrong'] })).status).toBe(401);
    expect((await call(`${node.url}/remote.php/dav/files/nobody/x`, 'GET', { auth: ['nobody', 'x'] })).status).toBe(
      401,
    );
  });
});
