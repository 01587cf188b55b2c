import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from './helpers/node';
import { call, CookieJar, ocs, requestTokenOf } from './helpers/http';
import { hostileSharer, type FakeRemote } from './helpers/fake-remotes';

// Issue 8, finding 1: files uploaded by anyone (an anonymous visitor of a file drop) or read from someone else's server
// (a mounted share) must never render as a page of the node's origin, where their script could use the owner's
// session. Every response that carries a file is a sandboxed download with a Content-Type the node chose.

const SCRIPT_PAGE = '<!doctype html><script>fetch("/ocs/v2.php/cloud/user")</script>';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';

let node: TestNode;
let sharer: FakeRemote;
const ALICE: [string, string] = ['alice', 'alice-pw'];
let dropToken: string;
let folderToken: string;

/** The headers every file response must carry; `type` is the Content-Type the node must have chosen. */
function expectSandboxedDownload(response: Response, name: string, type: string): void {
  expect(response.headers.get('content-type')).toBe(type);
  expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
  expect(response.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
  expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

beforeAll(async () => {
  node = await startNode({
    users: [{ name: 'alice', password: 'alice-pw' }],
    files: { alice: { 'Drop/': '', 'Docs/notes.txt': 'plain notes' } },
  });
  sharer = await hostileSharer({ 'page.html': SCRIPT_PAGE, 'notes.txt': SCRIPT_PAGE, 'img.svg': SVG });
  const shares = `${node.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`;
  dropToken = (
    (await ocs(shares, 'POST', { auth: ALICE, form: { path: '/Drop', shareType: '3', permissions: '4' } })).body.ocs
      .data as { token: string }
  ).token;
  // An anonymous visitor drops an HTML page and an SVG with script into the file drop.
  for (const [name, body] of [
    ['x.html', SCRIPT_PAGE],
    ['x.svg', SVG],
    ['ünï "q".html', SCRIPT_PAGE],
  ] as const) {
    expect(
      (await call(`${node.url}/public.php/webdav/${encodeURIComponent(name)}`, 'PUT', { auth: [dropToken, ''], body }))
        .status,
    ).toBe(201);
  }
  folderToken = (
    (await ocs(shares, 'POST', { auth: ALICE, form: { path: '/Drop', shareType: '3', permissions: '1' } })).body.ocs
      .data as { token: string }
  ).token;
});
afterAll(async () => {
  await node?.stop();
  await sharer?.close();
});

describe('files uploaded into a file drop, opened by the owner', () => {
  it('are sandboxed downloads over WebDAV (both endpoints, GET and HEAD), active types as octet-stream', async () => {
    for (const base of [`${node.url}/remote.php/dav/files/alice/Drop`, `${node.url}/remote.php/webdav/Drop`]) {
      for (const method of ['GET', 'HEAD']) {
        expectSandboxedDownload(
          await call(`${base}/x.html`, method, { auth: ALICE }),
          'x.html',
          'application/octet-stream',
        );
        expectSandboxedDownload(
          await call(`${base}/x.svg`, method, { auth: ALICE }),
          'x.svg',
          'application/octet-stream',
        );
      }
    }
    const notes = await call(`${node.url}/remote.php/dav/files/alice/Docs/notes.txt`, 'GET', { auth: ALICE });
    expectSandboxedDownload(notes, 'notes.txt', 'text/plain');
    expect(await notes.text()).toBe('plain notes');
    // A Range request is user content too.
    const partial = await call(`${node.url}/remote.php/dav/files/alice/Drop/x.html`, 'GET', {
      auth: ALICE,
      headers: { Range: 'bytes=0-4' },
    });
    expect(partial.status).toBe(206);
    expectSandboxedDownload(partial, 'x.html', 'application/octet-stream');
  });

  it('gives a header-safe file name for any name (ASCII fallback plus the exact UTF-8 name)', async () => {
    const response = await call(
      `${node.url}/remote.php/dav/files/alice/Drop/${encodeURIComponent('ünï "q".html')}`,
      'GET',
      { auth: ALICE },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="_n_ _q_.html"; filename*=UTF-8''%C3%BCn%C3%AF%20%22q%22.html`,
    );
  });

  it('are sandboxed downloads on public WebDAV, /s/TOKEN/download and in folder ZIPs', async () => {
    expectSandboxedDownload(
      await call(`${node.url}/public.php/webdav/x.html`, 'GET', { auth: [folderToken, ''] }),
      'x.html',
      'application/octet-stream',
    );
    for (const page of [`/s/${folderToken}`, `/index.php/s/${folderToken}`]) {
      expectSandboxedDownload(
        await call(`${node.url}${page}/download?path=/&files=x.html`),
        'x.html',
        'application/octet-stream',
      );
      expectSandboxedDownload(
        await call(`${node.url}${page}/download?path=/&files=x.svg`, 'HEAD'),
        'x.svg',
        'application/octet-stream',
      );
    }
    const zip = await call(`${node.url}/s/${folderToken}/download`);
    expectSandboxedDownload(zip, 'Drop.zip', 'application/zip');
    await zip.arrayBuffer();
  });

  it('are not readable on /remote.php with the browser session; the web UI links its own download route', async () => {
    const jar = new CookieJar();
    const rt = requestTokenOf(await (await call(`${node.url}/index.php/login`, 'GET', { jar })).text());
    expect(
      (
        await call(`${node.url}/index.php/login`, 'POST', {
          jar,
          form: { user: 'alice', password: 'alice-pw', requesttoken: rt },
        })
      ).status,
    ).toBe(303);
    for (const path of ['/remote.php/dav/files/alice/Drop/x.html', '/remote.php/webdav/Drop/x.html']) {
      for (const method of ['GET', 'PROPFIND'])
        expect((await call(`${node.url}${path}`, method, { jar })).status).toBe(401);
    }
    const page = await (await call(`${node.url}/index.php/apps/files/?dir=/Drop`, 'GET', { jar })).text();
    const link = /href="([^"]*x\.html)"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
    expect(link).toBe('/index.php/apps/files/ajax/download.php?dir=%2FDrop&files=x.html');
    const download = await call(`${node.url}${link}`, 'GET', { jar });
    expect(download.status).toBe(200);
    expectSandboxedDownload(download, 'x.html', 'application/octet-stream');
    expect(await download.text()).toBe(SCRIPT_PAGE);
    // Without a session it is the login page; folders and missing files are 404.
    expect((await call(`${node.url}${link}`)).status).toBe(303);
    expect(
      (await call(`${node.url}/index.php/apps/files/ajax/download.php?dir=/&files=Drop`, 'GET', { jar })).status,
    ).toBe(404);
    expect(
      (await call(`${node.url}/index.php/apps/files/ajax/download.php?dir=/Drop&files=nope`, 'GET', { jar })).status,
    ).toBe(404);
  });
});

describe('files read through a mounted share of a hostile server', () => {
  it("never carry the remote's Content-Type, disposition, CSP or cookies", async () => {
    const mounted = await call(`${node.url}/index.php/apps/files_sharing/external`, 'POST', {
      auth: ALICE,
      form: {
        remote: sharer.url,
        token: 'hostileToken1',
        owner: 'mallory',
        ownerDisplayName: 'Mallory',
        name: 'Hostile',
        password: '',
      },
    });
    expect(mounted.status).toBe(200);
    expect(await mounted.text()).toBe('');
    for (const base of [`${node.url}/remote.php/dav/files/alice/Hostile`, `${node.url}/remote.php/webdav/Hostile`]) {
      const page = await call(`${base}/page.html`, 'GET', { auth: ALICE });
      expect(page.status).toBe(200);
      expectSandboxedDownload(page, 'page.html', 'application/octet-stream');
      expect(page.headers.get('set-cookie')).toBeNull();
      expect(await page.text()).toBe(SCRIPT_PAGE);
      // The remote says text/html for a .txt; we say what the name says.
      expectSandboxedDownload(await call(`${base}/notes.txt`, 'GET', { auth: ALICE }), 'notes.txt', 'text/plain');
      expectSandboxedDownload(
        await call(`${base}/img.svg`, 'HEAD', { auth: ALICE }),
        'img.svg',
        'application/octet-stream',
      );
    }
  });
});
