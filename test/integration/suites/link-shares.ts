import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { startService, type Service, type Topology } from '../helpers/topology';
import { call, CookieJar, hrefs, ocs, requestTokenOf } from '../helpers/http';

// Public links (shareType 3): the OCS API, the share pages, public WebDAV. Run by link-shares.test.ts (one node with
// SQLite) and link-shares.cluster.test.ts (two nodes on PostgreSQL behind nginx).
export function linkSharesSuite(topology: Topology): void {
  let node: Service;
  let api: string;
  const ALICE: [string, string] = ['alice', 'alice-pw'];

  interface ShareData {
    id: string;
    token: string;
    url: string;
    permissions: number;
    item_type: string;
    expiration: string | null;
    share_with?: string;
    name: string | null;
  }

  async function createLink(
    form: Record<string, string>,
  ): Promise<{ status: number; data: ShareData; message: string | null }> {
    const { status, body } = await ocs(api, 'POST', { auth: ALICE, form: { shareType: '3', ...form } });
    return { status, data: body.ocs.data as ShareData, message: body.ocs.meta.message };
  }

  beforeAll(async () => {
    node = await startService(topology, {
      users: [{ name: 'alice', password: 'alice-pw', displayName: 'Alice <A&B>' }],
      files: {
        alice: {
          'Shared Folder/hello.txt': 'hello from alice',
          'Shared Folder/sub/deep.txt': 'deep',
          'report.txt': 'report body',
          'Drop/': '',
        },
      },
      args: ['--throttle-failures', '3'],
    });
    api = `${node.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`;
  });
  afterAll(async () => node?.stop());

  describe('OCS share API (shareType 3)', () => {
    it('creates a folder link shaped like ownCloud 10', async () => {
      const { status, data } = await createLink({ path: '/Shared Folder', permissions: '1', name: 'folder link' });
      expect(status).toBe(200);
      expect(data).toMatchObject({
        share_type: 3,
        uid_owner: 'alice',
        permissions: 1,
        path: '/Shared Folder',
        item_type: 'folder',
        mimetype: 'httpd/unix-directory',
        name: 'folder link',
        expiration: null,
      });
      expect(data.token).toMatch(/^[A-Za-z0-9]{15}$/);
      expect(data.url).toBe(`${node.url}/s/${data.token}`);
    });

    it('answers in XML without format=json', async () => {
      const response = await call(api, 'POST', {
        auth: ALICE,
        headers: { 'OCS-APIRequest': 'true' },
        form: { path: '/report.txt', shareType: '3' },
      });
      const xml = await response.text();
      expect(xml).toContain('<item_type>file</item_type>');
      expect(xml).toMatch(/<token>[A-Za-z0-9]{15}<\/token>/);
    });

    it('applies permission rules for files and folders', async () => {
      expect((await createLink({ path: '/report.txt', permissions: '15' })).status).toBe(400);
      expect((await createLink({ path: '/report.txt', publicUpload: 'true' })).status).toBe(403);
      expect((await createLink({ path: '/Drop', permissions: '4' })).data.permissions).toBe(4);
      expect((await createLink({ path: '/Shared Folder', publicUpload: 'true' })).data.permissions).toBe(15);
      expect((await createLink({ path: '/Shared Folder', permissions: '5' })).data.permissions).toBe(5);
      expect((await createLink({ path: '/Shared Folder', permissions: '2' })).status).toBe(400);
    });

    it('validates path and expiry and marks passwords as redacted', async () => {
      const missing = await createLink({});
      expect(missing.status).toBe(404);
      expect(missing.message).toBe('Please specify a file or folder path');
      const nopath = await createLink({ path: '/nope' });
      expect(nopath.status).toBe(404);
      expect(nopath.message).toBe("Wrong path, file/folder doesn't exist");
      expect((await createLink({ path: '/../etc' })).status).toBe(403);
      expect((await createLink({ path: '/report.txt', expireDate: '2020-01-01' })).message).toBe(
        'Expiration date is in the past',
      );
      expect((await createLink({ path: '/report.txt', expireDate: 'tomorrow' })).message).toBe(
        'Invalid date. Format must be YYYY-MM-DD',
      );
      const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
      const dated = await createLink({ path: '/report.txt', expireDate: future, password: 'pw-123' });
      expect(dated.data.expiration).toBe(`${future} 00:00:00`);
      expect(dated.data.share_with).toBe('***redacted***');
      const v1 = await ocs(`${node.url}/ocs/v1.php/apps/files_sharing/api/v1/shares`, 'POST', {
        auth: ALICE,
        form: { shareType: '3' },
      });
      expect(v1.status).toBe(200);
      expect(v1.body.ocs.meta.statuscode).toBe(404);
      expect((await ocs(api, 'POST', { form: { shareType: '3', path: '/report.txt' } })).body.ocs.meta.statuscode).toBe(
        997,
      );
    });

    it('lists, gets, updates and deletes', async () => {
      const { data } = await createLink({ path: '/report.txt' });
      const list = await ocs(`${api}?path=/report.txt`, 'GET', { auth: ALICE });
      expect((list.body.ocs.data as ShareData[]).map((s) => s.id)).toContain(data.id);
      const one = await ocs(`${api}/${data.id}`, 'GET', { auth: ALICE });
      expect((one.body.ocs.data as ShareData[])[0]?.token).toBe(data.token);
      const updated = await ocs(`${api}/${data.id}`, 'PUT', { auth: ALICE, form: { name: 'renamed' } });
      expect((updated.body.ocs.data as ShareData).name).toBe('renamed');
      expect((await ocs(`${api}/${data.id}`, 'DELETE', { auth: ALICE })).status).toBe(200);
      expect((await ocs(`${api}/${data.id}`, 'GET', { auth: ALICE })).status).toBe(404);
      const page = await call(`${node.url}/s/${data.token}`);
      expect(page.status).toBe(404);
      expect(await page.text()).toContain('File not found');
    });
  });

  describe('public page', () => {
    it('uses ownCloud 10 markup plus the companion generator marker', async () => {
      const { data } = await createLink({ path: '/Shared Folder' });
      for (const prefix of ['/s/', '/index.php/s/']) {
        const html = await (await call(`${node.url}${prefix}${data.token}`)).text();
        expect(html).toContain('<meta name="generator" content="add-to-cloud-server">');
        expect(html).toMatch(/<head data-requesttoken="[^"]+"/);
        expect(html).toContain('<input type="hidden" id="isPublic" name="isPublic" value="1">');
        expect(html).toContain(`<input type="hidden" name="sharingToken" value="${data.token}" id="sharingToken">`);
        expect(html).toContain('<input type="hidden" name="filename" value="Shared Folder" id="filename">');
        expect(html).toContain('<input type="hidden" name="mimetype" value="httpd/unix-directory" id="mimetype">');
        expect(html).toContain(`id="downloadURL"`);
        expect(html).toContain(`<meta property="og:url" content="${node.url}/s/${data.token}"/>`);
        expect(html).toMatch(
          /<div id="header" class="share-folder" data-protected="false"\s+data-owner-display-name="Alice &lt;A&amp;B&gt;" data-owner="alice" data-name="Shared Folder">/,
        );
        expect(html).toMatch(/<span id="details">\s*<span id="save" data-federation="on"/);
        expect(html).toContain('hello.txt');
      }
      const sub = await (await call(`${node.url}/s/${data.token}?path=%2Fsub`)).text();
      expect(sub).toContain('deep.txt');
      expect((await call(`${node.url}/s/${data.token}?path=%2F..%2F..`)).status).toBe(403);
      const file = await (await call(`${node.url}/s/${data.token}/download?path=%2Fsub&files=deep.txt`)).text();
      expect(file).toBe('deep');
    });

    it('downloads a folder as a ZIP whose directory lists every entry with the right CRC', async () => {
      const { data } = await createLink({ path: '/Shared Folder' });
      const response = await call(`${node.url}/s/${data.token}/download`);
      expect(response.headers.get('content-type')).toBe('application/zip');
      const zip = Buffer.from(await response.arrayBuffer());
      const end = zip.length - 22;
      expect(zip.readUInt32LE(end)).toBe(0x06054b50);
      const count = zip.readUInt16LE(end + 10);
      let at = zip.readUInt32LE(end + 16);
      const names: string[] = [];
      for (let i = 0; i < count; i++) {
        const nameLength = zip.readUInt16LE(at + 28);
        const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
        names.push(name);
        if (name === 'Shared Folder/hello.txt') {
          const local = zip.readUInt32LE(at + 42);
          const dataStart = local + 30 + zip.readUInt16LE(local + 26);
          const content = zip.subarray(dataStart, dataStart + zip.readUInt32LE(at + 24));
          expect(content.toString()).toBe('hello from alice');
          expect(zip.readUInt32LE(at + 16)).toBe(crc32(content));
        }
        at += 46 + nameLength;
      }
      expect(names.sort()).toEqual(['Shared Folder/hello.txt', 'Shared Folder/sub/', 'Shared Folder/sub/deep.txt']);
    });

    it('serves a single file page and its download', async () => {
      const { data } = await createLink({ path: '/report.txt' });
      const html = await (await call(`${node.url}/index.php/s/${data.token}`)).text();
      expect(html).toContain('class="share-file"');
      const download = await call(`${node.url}/s/${data.token}/download`);
      expect(download.headers.get('content-disposition')).toContain('report.txt');
      expect(await download.text()).toBe('report body');
    });

    it('runs the password flow: 303 to authenticate, wrong password message, 303 back with a session', async () => {
      const { data } = await createLink({ path: '/Shared Folder', password: 'link-secret-1' });
      const jar = new CookieJar();
      const first = await call(`${node.url}/index.php/s/${data.token}`, 'GET', { jar });
      expect(first.status).toBe(303);
      expect(first.headers.get('location')).toBe(`/index.php/s/${data.token}/authenticate`);
      const prompt = await (await call(`${node.url}/index.php/s/${data.token}/authenticate`, 'GET', { jar })).text();
      expect(prompt).toContain('id="password-protected-share"');
      const rt = requestTokenOf(prompt);
      const wrong = await call(`${node.url}/index.php/s/${data.token}/authenticate`, 'POST', {
        jar,
        form: { password: 'nope', requesttoken: rt },
      });
      expect(wrong.status).toBe(200);
      expect(await wrong.text()).toContain('The password is wrong. Try again.');
      const ok = await call(`${node.url}/index.php/s/${data.token}/authenticate`, 'POST', {
        jar,
        form: { password: 'link-secret-1', requesttoken: rt },
      });
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe(`/index.php/s/${data.token}`);
      const page = await (await call(`${node.url}/index.php/s/${data.token}`, 'GET', { jar })).text();
      expect(page).toContain('data-protected="true"');
      // Another browser without the session is still sent to the password page, also for downloads.
      expect((await call(`${node.url}/s/${data.token}/download?files=hello.txt`)).status).toBe(303);
    });

    it('throttles password guessing on the page', async () => {
      const { data } = await createLink({ path: '/report.txt', password: 'right-pass' });
      const jar = new CookieJar();
      const rt = requestTokenOf(await (await call(`${node.url}/s/${data.token}/authenticate`, 'GET', { jar })).text());
      for (let i = 0; i < 3; i++)
        await call(`${node.url}/s/${data.token}/authenticate`, 'POST', {
          jar,
          form: { password: `guess${i}`, requesttoken: rt },
        });
      const blocked = await call(`${node.url}/s/${data.token}/authenticate`, 'POST', {
        jar,
        form: { password: 'right-pass', requesttoken: rt },
      });
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    });

    it('hides expired links like deleted ones', async () => {
      const { data } = await createLink({ path: '/report.txt' });
      expect((await call(`${node.url}/s/${data.token}`)).status).toBe(200);
      await node.withStore(async (store) =>
        store.updateShare((await store.getShareByToken(data.token))?.id ?? -1, { expiration: '2000-01-01' }),
      );
      expect((await call(`${node.url}/s/${data.token}`)).status).toBe(404);
      expect((await call(`${node.url}/public.php/webdav/`, 'PROPFIND', { auth: [data.token, ''] })).status).toBe(401);
    });
  });

  describe('public WebDAV and shareinfo', () => {
    it('lists and reads a link with token:password, refuses a wrong password', async () => {
      const { data } = await createLink({ path: '/Shared Folder', password: 'dav-pass' });
      const list = await call(`${node.url}/public.php/webdav/`, 'PROPFIND', {
        auth: [data.token, 'dav-pass'],
        headers: { Depth: '1' },
      });
      expect(list.status).toBe(207);
      const listing = await list.text();
      expect(hrefs(listing)).toEqual(
        expect.arrayContaining(['/public.php/webdav/', '/public.php/webdav/hello.txt', '/public.php/webdav/sub/']),
      );
      // ownCloud receivers read the link permissions from here.
      expect(listing).toContain(
        '<x1:share-permissions xmlns:x1="http://open-collaboration-services.org/ns">1</x1:share-permissions>',
      );
      expect(
        await (await call(`${node.url}/public.php/webdav/hello.txt`, 'GET', { auth: [data.token, 'dav-pass'] })).text(),
      ).toBe('hello from alice');
      const wrong = await call(`${node.url}/public.php/webdav/`, 'PROPFIND', { auth: [data.token, 'nope'] });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toContain('Sabre\\DAV\\Exception\\NotAuthenticated');
      expect(
        (await call(`${node.url}/public.php/webdav/hello.txt`, 'PUT', { auth: [data.token, 'dav-pass'], body: 'x' }))
          .status,
      ).toBe(403);
      expect((await call(`${node.url}/public.php/webdav/`, 'PROPFIND', { auth: ['bogusToken123', ''] })).status).toBe(
        401,
      );
    });

    it('serves a file link as the WebDAV root', async () => {
      const { data } = await createLink({ path: '/report.txt' });
      expect(await (await call(`${node.url}/public.php/webdav/`, 'GET', { auth: [data.token, ''] })).text()).toBe(
        'report body',
      );
    });

    it('makes a file drop (permission 4) upload-only', async () => {
      const { data } = await createLink({ path: '/Drop', permissions: '4' });
      const auth: [string, string] = [data.token, ''];
      expect((await call(`${node.url}/public.php/webdav/upload.txt`, 'PUT', { auth, body: 'dropped' })).status).toBe(
        201,
      );
      expect(readFileSync(path.join(node.filesOf('alice'), 'Drop', 'upload.txt'), 'utf8')).toBe('dropped');
      expect((await call(`${node.url}/public.php/webdav/upload.txt`, 'GET', { auth })).status).toBe(403);
      const listing = await (
        await call(`${node.url}/public.php/webdav/`, 'PROPFIND', { auth, headers: { Depth: '1' } })
      ).text();
      expect(listing).not.toContain('upload.txt');
      expect((await call(`${node.url}/public.php/webdav/upload.txt`, 'PUT', { auth, body: 'overwrite' })).status).toBe(
        403,
      );
      const page = await (await call(`${node.url}/s/${data.token}`)).text();
      expect(page).not.toContain('id="save"');
    });

    it('lets a read-write link (15) upload, rename and delete', async () => {
      const { data } = await createLink({ path: '/Shared Folder', permissions: '15' });
      const auth: [string, string] = [data.token, ''];
      expect((await call(`${node.url}/public.php/webdav/up.txt`, 'PUT', { auth, body: 'u' })).status).toBe(201);
      expect(
        (
          await call(`${node.url}/public.php/webdav/up.txt`, 'MOVE', {
            auth,
            headers: { Destination: `${node.url}/public.php/webdav/sub/up2.txt` },
          })
        ).status,
      ).toBe(201);
      expect((await call(`${node.url}/public.php/webdav/sub/up2.txt`, 'DELETE', { auth })).status).toBe(204);
      expect((await call(`${node.url}/public.php/webdav/`, 'DELETE', { auth })).status).toBe(403);
    });

    it('throttles guessing on public WebDAV', async () => {
      const { data } = await createLink({ path: '/report.txt', password: 'dav-right' });
      for (let i = 0; i < 3; i++)
        expect((await call(`${node.url}/public.php/webdav/`, 'PROPFIND', { auth: [data.token, `g${i}`] })).status).toBe(
          401,
        );
      expect(
        (await call(`${node.url}/public.php/webdav/`, 'PROPFIND', { auth: [data.token, 'dav-right'] })).status,
      ).toBe(429);
    });

    it('answers shareinfo like ownCloud', async () => {
      const { data } = await createLink({ path: '/Shared Folder', password: 'info-pass' });
      const ok = await call(`${node.url}/index.php/apps/files_sharing/shareinfo?t=${data.token}`, 'POST', {
        form: { password: 'info-pass' },
      });
      const body = (await ok.json()) as {
        status: string;
        data: { name: string; type: string; children: { name: string }[] };
      };
      expect(body.status).toBe('success');
      expect(body.data).toMatchObject({ name: 'Shared Folder', type: 'dir' });
      expect(body.data.children.map((c) => c.name).sort()).toEqual(['hello.txt', 'sub']);
      const wrong = await call(`${node.url}/index.php/apps/files_sharing/shareinfo?t=${data.token}`, 'POST', {
        form: { password: 'x' },
      });
      expect(wrong.status).toBe(403);
      expect(await wrong.json()).toEqual({ success: false, status: 'error' });
      expect((await call(`${node.url}/index.php/apps/files_sharing/shareinfo?t=nope`, 'POST')).status).toBe(404);
    });
  });

  if (topology === 'cluster') {
    it('spread the requests over both nodes', () => {
      const counts = [...node.requestsPerNode().values()];
      expect(counts).toHaveLength(2);
      for (const count of counts) expect(count).toBeGreaterThan(5);
    });
  }
}
