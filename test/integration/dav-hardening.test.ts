import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startNode, type TestNode } from './helpers/node';
import { basic, call as plainCall, hrefs, ocs, type CallOptions } from './helpers/http';

// Issue 8: PROPFIND amplification (finding 3) and the WebDAV parts of finding 11 (XXE, Unicode forms and control
// characters in names, upload temp files, symlinks in shared folders). Every test here failed on the code before.

const ALICE: [string, string] = ['alice', 'alice-pw'];

/** Every call carries the header that authenticated state-changing calls need (CSRF protection, issue 8). */
const call = (url: string, method = 'GET', options: CallOptions = {}) =>
  plainCall(url, method, { ...options, headers: { 'OCS-APIRequest': 'true', ...options.headers } });
const BAD_REQUEST = '<s:exception>Sabre\\DAV\\Exception\\BadRequest</s:exception>';

/** A PROPFIND body asking for `count` properties of namespace `ns`, named `name-0`, `name-1`, … */
function propfindBody(count: number, name = 'unknown-property', ns = 'urn:x-test'): string {
  const props = Array.from({ length: count }, (_, i) => `<x:${name}-${i}/>`).join('');
  return `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:x="${ns}"><d:prop>${props}</d:prop></d:propfind>`;
}

async function createLink(node: TestNode, folder: string): Promise<string> {
  const { status, body } = await ocs(`${node.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
    auth: ALICE,
    form: { shareType: '3', path: folder, permissions: '1' },
  });
  expect(status).toBe(200);
  return (body.ocs.data as { token: string }).token;
}

/** The pid of the server process listening on `port` (found through /proc: the test helper does not expose it). */
function serverPid(port: number): number {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.includes('serve') && args[args.indexOf('--port') + 1] === String(port)) return Number(pid);
    } catch {
      // the process ended meanwhile
    }
  }
  throw new Error(`no server process for port ${port}`);
}

const rssMib = (pid: number) =>
  Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

let node: TestNode;
let dav: string;
/** Entries of alice's /Big folder. */
const BIG_FOLDER = 20_000;

beforeAll(async () => {
  const files: Record<string, string> = {
    'Shared/inside.txt': 'inside the share',
    'Private/secret.txt': 'private to alice',
  };
  for (let i = 0; i < 30; i++) files[`Public/file-${i}.txt`] = `file ${i}`;
  for (let i = 0; i < BIG_FOLDER; i++) files[`Big/entry-${String(i).padStart(5, '0')} with a longer name.txt`] = `${i}`;
  node = await startNode({ users: [{ name: 'alice', password: 'alice-pw' }], files: { alice: files } });
  dav = `${node.url}/remote.php/dav/files/alice`;
});
afterAll(async () => node?.stop());

describe('PROPFIND bounds (finding 3)', () => {
  let token: string;
  beforeAll(async () => {
    token = await createLink(node, '/Public');
  });
  const publicPropfind = (body: string) =>
    call(`${node.url}/public.php/webdav/`, 'PROPFIND', {
      headers: { Authorization: basic(token, ''), Depth: '1' },
      body,
    });

  it('refuses the 20,000-property body of the report at once, and the node keeps answering', async () => {
    const body = propfindBody(20_000, 'unknown-property-of-the-report');
    expect(body.length).toBeGreaterThan(750_000);
    const started = Date.now();
    const response = await publicPropfind(body);
    const text = await response.text();
    expect(response.status).toBe(413);
    expect(text.length).toBeLessThan(4096);
    expect(text).toContain('RequestedEntityTooLarge');
    expect(Date.now() - started).toBeLessThan(5000);
    const probe = Date.now();
    expect((await call(`${node.url}/status.php`)).status).toBe(200);
    expect(Date.now() - probe).toBeLessThan(2000);
  });

  it('answers 400 with a Sabre error to more than 200 properties, too long property names or too many tags, in a small body', async () => {
    const many = await publicPropfind(propfindBody(201, 'p'));
    expect(many.status).toBe(400);
    expect(await many.text()).toContain(BAD_REQUEST);
    // Two properties, but through a 9,000-character namespace each: echoed back for every entry, this would amplify.
    const long = await publicPropfind(propfindBody(2, 'p', `urn:${'n'.repeat(9000)}`));
    expect(long.status).toBe(400);
    expect(await long.text()).toContain(BAD_REQUEST);
    // One property repeated 6,000 times under 2,000 namespace declarations: under 64 KiB, but seconds of parsing.
    const declarations = Array.from({ length: 2000 }, (_, i) => `xmlns:a${i}="u"`).join(' ');
    const started = Date.now();
    const tags = await publicPropfind(
      `<d:propfind xmlns:d="DAV:" ${declarations}><d:prop>${'<a/>'.repeat(6000)}</d:prop></d:propfind>`,
    );
    expect(tags.status).toBe(400);
    expect(await tags.text()).toContain(BAD_REQUEST);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('still answers 200 properties like Sabre: known ones in a 200 propstat, unknown ones in a 404 propstat', async () => {
    const body = propfindBody(199, 'p').replace('<d:prop>', '<d:prop><d:getetag/>');
    const response = await publicPropfind(body);
    expect(response.status).toBe(207);
    const xml = await response.text();
    expect(hrefs(xml)).toHaveLength(31);
    expect(xml.split('<d:getetag>').length - 1).toBe(31);
    // Unknown namespaces get a prefix numbered by the property's position in the request (getetag is first).
    expect(xml).toContain('<x3:p-0 xmlns:x3="urn:x-test"/>');
    expect(xml).toContain('<x201:p-198 xmlns:x201="urn:x-test"/>');
  });

  it('streams a depth-1 listing of 20,000 entries without the server memory growing with it', async () => {
    const pid = serverPid(node.port);
    await (await call(`${dav}/`, 'PROPFIND', { auth: ALICE, headers: { Depth: '1' } })).text(); // warm up
    const before = rssMib(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMib(pid))), 5);
    try {
      for (let run = 0; run < 2; run++) {
        const response = await call(`${dav}/Big/`, 'PROPFIND', { auth: ALICE, headers: { Depth: '1' } });
        expect(response.status).toBe(207);
        expect(response.headers.get('transfer-encoding')).toBe('chunked'); // written as it is produced
        const xml = await response.text();
        expect(xml.length).toBeGreaterThan(10_000_000);
        expect(hrefs(xml)).toHaveLength(BIG_FOLDER + 1);
        expect(xml.endsWith('</d:multistatus>')).toBe(true);
      }
    } finally {
      clearInterval(sampler);
    }
    // The answer is ~11 MB; building it as one string took the old code ~200 MB. Streamed, the server holds the
    // names and a few numbers per entry (~2 MB here) plus one batch of XML.
    expect(peak - before).toBeLessThan(64);
  });
});

describe('XML bodies (finding 11)', () => {
  it('refuses DTDs (XXE, entity expansion) and malformed XML with 400, never 500', async () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE d:propfind [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag>&xxe;</d:getetag></d:prop></d:propfind>';
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE d:propfind [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
      '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag>&b;</d:getetag></d:prop></d:propfind>';
    for (const body of [xxe, laughs, '<d:propfind xmlns:d="DAV:"><d:prop>', '<a></b>', '\u0000\u0001']) {
      const response = await call(`${dav}/`, 'PROPFIND', { auth: ALICE, headers: { Depth: '0' }, body });
      expect(response.status, body).toBe(400);
      const text = await response.text();
      expect(text).toContain(BAD_REQUEST);
      expect(text).not.toContain('root:');
    }
  });
});

describe('names (finding 11)', () => {
  const composed = 'caf\u00e9'; // é as one code point (NFC)
  const decomposed = 'cafe\u0301'; // e + combining acute accent (NFD, what macOS sends)

  it('treats the composed and decomposed spelling of a name as one file', async () => {
    expect(
      (await call(`${dav}/${encodeURIComponent(decomposed)}.txt`, 'PUT', { auth: ALICE, body: 'first' })).status,
    ).toBe(201);
    expect(
      (await call(`${dav}/${encodeURIComponent(composed)}.txt`, 'PUT', { auth: ALICE, body: 'second' })).status,
    ).toBe(204);
    expect(await (await call(`${dav}/${encodeURIComponent(decomposed)}.txt`, 'GET', { auth: ALICE })).text()).toBe(
      'second',
    );
    expect((await call(`${dav}/${encodeURIComponent(composed)}-dir`, 'MKCOL', { auth: ALICE })).status).toBe(201);
    expect((await call(`${dav}/${encodeURIComponent(decomposed)}-dir`, 'MKCOL', { auth: ALICE })).status).toBe(405);
    const listing = hrefs(await (await call(`${dav}/`, 'PROPFIND', { auth: ALICE, headers: { Depth: '1' } })).text());
    expect(listing.filter((href) => href.normalize('NFC').includes(composed))).toEqual([
      `/remote.php/dav/files/alice/${composed}-dir/`,
      `/remote.php/dav/files/alice/${composed}.txt`,
    ]);
    expect(
      readdirSync(node.filesOf('alice')).filter((name) => name.normalize('NFC').startsWith(composed)),
    ).toHaveLength(2);
  });

  it('finds a file stored decomposed on disk (older versions, copied from macOS) under both spellings, listed once', async () => {
    mkdirSync(path.join(node.filesOf('alice'), 'Legacy'));
    writeFileSync(path.join(node.filesOf('alice'), 'Legacy', `${decomposed}.md`), 'stored decomposed');
    for (const name of [composed, decomposed]) {
      const response = await call(`${dav}/Legacy/${encodeURIComponent(name)}.md`, 'GET', { auth: ALICE });
      expect(await response.text()).toBe('stored decomposed');
    }
    expect(
      (await call(`${dav}/Legacy/${encodeURIComponent(composed)}.md`, 'PUT', { auth: ALICE, body: 'updated' })).status,
    ).toBe(204);
    expect(readdirSync(path.join(node.filesOf('alice'), 'Legacy'))).toEqual([`${decomposed}.md`]);
    const listing = hrefs(
      await (await call(`${dav}/Legacy/`, 'PROPFIND', { auth: ALICE, headers: { Depth: '1' } })).text(),
    );
    expect(listing).toEqual([
      '/remote.php/dav/files/alice/Legacy/',
      `/remote.php/dav/files/alice/Legacy/${composed}.md`,
    ]);
  });

  it('refuses a MOVE onto the file itself, under either spelling, and keeps the file', async () => {
    expect(
      (
        await call(`${dav}/${encodeURIComponent(composed)}.txt`, 'MOVE', {
          auth: ALICE,
          headers: { Destination: `${dav}/${encodeURIComponent(decomposed)}.txt` },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(`${dav}/${encodeURIComponent(composed)}.txt`, 'MOVE', {
          auth: ALICE,
          headers: { Destination: `${dav}/${encodeURIComponent(composed)}.txt` },
        })
      ).status,
    ).toBe(403);
    expect(await (await call(`${dav}/${encodeURIComponent(composed)}.txt`, 'GET', { auth: ALICE })).text()).toBe(
      'second',
    );
  });

  it('refuses control characters in new names (PUT, MKCOL, MOVE) with 400', async () => {
    expect((await call(`${dav}/bell%07.txt`, 'PUT', { auth: ALICE, body: 'x' })).status).toBe(400);
    expect((await call(`${dav}/line%0Abreak`, 'MKCOL', { auth: ALICE })).status).toBe(400);
    expect((await call(`${dav}/tab%09`, 'MKCOL', { auth: ALICE })).status).toBe(400);
    expect((await call(`${dav}/plain.txt`, 'PUT', { auth: ALICE, body: 'x' })).status).toBe(201);
    const move = await call(`${dav}/plain.txt`, 'MOVE', { auth: ALICE, headers: { Destination: `${dav}/del%7F.txt` } });
    expect(move.status).toBe(400);
    expect(await move.text()).toContain(BAD_REQUEST);
    expect(readdirSync(node.filesOf('alice')).filter((name) => /[\u0000-\u001f\u007f]/.test(name))).toEqual([]); // eslint-disable-line no-control-regex
  });
});

describe('symlinks in a shared folder (finding 11)', () => {
  let token: string;
  beforeAll(async () => {
    const shared = path.join(node.filesOf('alice'), 'Shared');
    // Inside alice's tree (so her own WebDAV may follow them), but outside the shared folder.
    symlinkSync('../Private', path.join(shared, 'private-folder'));
    symlinkSync('../Private/secret.txt', path.join(shared, 'secret-link.txt'));
    symlinkSync('inside.txt', path.join(shared, 'alias.txt')); // stays inside the share: fine
    token = await createLink(node, '/Shared');
  });
  const linkAuth = () => ({ Authorization: basic(token, '') });

  it('neither lists nor serves them over public WebDAV', async () => {
    const listing = hrefs(
      await (
        await call(`${node.url}/public.php/webdav/`, 'PROPFIND', { headers: { ...linkAuth(), Depth: '1' } })
      ).text(),
    );
    expect(listing.sort()).toEqual([
      '/public.php/webdav/',
      '/public.php/webdav/alias.txt',
      '/public.php/webdav/inside.txt',
    ]);
    for (const target of ['secret-link.txt', 'private-folder/secret.txt']) {
      const response = await call(`${node.url}/public.php/webdav/${target}`, 'GET', { headers: linkAuth() });
      expect(response.status, target).toBeGreaterThanOrEqual(400);
      expect(await response.text()).not.toContain('private to alice');
    }
    expect(await (await call(`${node.url}/public.php/webdav/alias.txt`, 'GET', { headers: linkAuth() })).text()).toBe(
      'inside the share',
    );
  });

  it('keeps them out of the share page, its downloads and its ZIP', async () => {
    const page = await (await call(`${node.url}/s/${token}`)).text();
    expect(page).toContain('inside.txt');
    expect(page).not.toContain('secret-link.txt');
    expect(page).not.toContain('private-folder');
    for (const query of ['files=secret-link.txt', 'path=/private-folder&files=secret.txt']) {
      const response = await call(`${node.url}/s/${token}/download?${query}`);
      expect(response.status, query).toBeGreaterThanOrEqual(400);
      expect(await response.text()).not.toContain('private to alice');
    }
    const zip = Buffer.from(await (await call(`${node.url}/s/${token}/download`)).arrayBuffer()).toString('latin1');
    expect(zip).toContain('inside the share');
    expect(zip).not.toContain('private to alice');
  });

  it('still follows them for the owner, inside her own tree', async () => {
    expect(await (await call(`${dav}/Shared/secret-link.txt`, 'GET', { auth: ALICE })).text()).toBe('private to alice');
  });
});

describe('upload temp files (finding 11)', () => {
  let crashNode: TestNode;
  beforeAll(async () => {
    crashNode = await startNode({
      users: [{ name: 'alice', password: 'alice-pw' }],
      // What an older version left behind when it crashed mid-upload: a temp file inside the tree.
      files: {
        alice: { 'Docs/.upload-4242-1700000000000-abc123': 'half of a secret upload', 'Docs/kept.txt': 'kept' },
      },
    });
  });
  afterAll(async () => crashNode?.stop());

  it('never lists or serves a leftover temp file, and removes it at start-up', async () => {
    const docs = `${crashNode.url}/remote.php/dav/files/alice/Docs`;
    const leftover = path.join(crashNode.filesOf('alice'), 'Docs', '.upload-4242-1700000000000-abc123');
    const get = await call(`${docs}/.upload-4242-1700000000000-abc123`, 'GET', { auth: ALICE });
    expect(get.status).toBe(403);
    expect(await get.text()).not.toContain('half of a secret');
    expect((await call(`${docs}/.upload-4242-1700000000000-abc123`, 'PUT', { auth: ALICE, body: 'x' })).status).toBe(
      403,
    );
    const listing = hrefs(await (await call(`${docs}/`, 'PROPFIND', { auth: ALICE, headers: { Depth: '1' } })).text());
    expect(listing).toEqual(['/remote.php/dav/files/alice/Docs/', '/remote.php/dav/files/alice/Docs/kept.txt']);
    expect(await eventually(() => !existsSync(leftover))).toBe(true);
  });

  it('writes an upload outside the tree and forgets it after kill -9 mid-upload', async () => {
    const tree = crashNode.filesOf('alice');
    const uploads = path.join(crashNode.dataDir, 'uploads');
    const request = http.request(`${crashNode.url}/remote.php/dav/files/alice/Docs/big.bin`, {
      method: 'PUT',
      headers: { Authorization: basic(...ALICE), 'OCS-APIRequest': 'true', 'Transfer-Encoding': 'chunked' },
    });
    request.on('error', () => undefined); // the server dies under it
    request.write(Buffer.alloc(64 * 1024, 1));
    const inProgress = () =>
      existsSync(uploads) &&
      readdirSync(uploads, { recursive: true }).some((name) => String(name).includes('.upload-'));
    expect(await eventually(inProgress)).toBe(true);
    // Meanwhile nothing of it is in the user's tree, so nothing can list or download it.
    expect(readdirSync(path.join(tree, 'Docs'))).toEqual(['kept.txt']);
    await crashNode.kill9();
    request.destroy();
    await crashNode.restart();
    expect(existsSync(uploads) && readdirSync(uploads, { recursive: true }).length > 0).toBe(false);
    expect(readdirSync(path.join(tree, 'Docs'))).toEqual(['kept.txt']);
    expect(
      (await call(`${crashNode.url}/remote.php/dav/files/alice/Docs/big.bin`, 'GET', { auth: ALICE })).status,
    ).toBe(404);
  });
});
