import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/node';
import { startService, type Service, type Topology } from '../helpers/topology';
import { call, CookieJar, hrefs, ocs, requestTokenOf } from '../helpers/http';
import { garbageRemote, silentRemote, type FakeRemote } from '../helpers/fake-remotes';
import { fakePeer, type FakePeer } from '../helpers/fake-peer';

// Two deployments of the companion federating with each other: alice's (A) and bob's (B). Run by federation.test.ts
// (single nodes with SQLite) and federation.cluster.test.ts (each of A and B two nodes on PostgreSQL behind nginx).
export function federationSuite(topology: Topology): void {
  let A: Service;
  let B: Service;
  let garbage: FakeRemote;
  let silent: FakeRemote;
  /** A reachable server whose discovery advertises no key, like ownCloud 10: unsigned calls in its name are taken. */
  let keyless: FakePeer;
  const ALICE: [string, string] = ['alice', 'alice-pw'];
  const BOB: [string, string] = ['bob', 'bob-pw'];
  const SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/shares';
  const REMOTE_SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/remote_shares';

  interface ExternalShareItem {
    id: string;
    remote: string;
    remote_id: string;
    name: string;
    owner: string;
    mountpoint: string;
    accepted: string;
    type?: string;
  }

  async function link(node: Service, auth: [string, string], form: Record<string, string>): Promise<string> {
    const { body } = await ocs(node.url + SHARES, 'POST', { auth, form: { shareType: '3', ...form } });
    return (body.ocs.data as { token: string }).token;
  }

  async function mount(
    node: Service,
    auth: [string, string],
    form: Record<string, string>,
  ): Promise<{ status: number; text: string }> {
    const response = await call(`${node.url}/index.php/apps/files_sharing/external`, 'POST', {
      auth,
      form: { owner: 'alice', ownerDisplayName: 'Alice', password: '', ...form },
    });
    return { status: response.status, text: await response.text() };
  }

  const errorBody = (message: string) => JSON.stringify({ data: { message }, status: 'error' });

  beforeAll(async () => {
    [A, B, garbage, silent, keyless] = await Promise.all([
      startService(topology, {
        users: [{ name: 'alice', password: 'alice-pw', displayName: 'Alice' }],
        files: {
          alice: {
            'Shared Folder/hello.txt': 'hello from alice',
            'Shared Folder/sub/deep.txt': 'deep',
            'report.txt': 'report',
            'Protected/p.txt': 'protected content',
            'Fed Folder/fed.txt': 'fed content',
            'Fed2/x.txt': 'x',
            'Twin/a.txt': 'first twin',
            'Nested/Twin/b.txt': 'second twin',
          },
        },
      }),
      startService(topology, {
        users: [{ name: 'bob', password: 'bob-pw', displayName: 'Bob' }],
        files: { bob: { 'Bob Docs/bob.txt': 'hello from bob' } },
        args: ['--remote-timeout', '1500'],
      }),
      garbageRemote(),
      silentRemote(),
      fakePeer(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([A?.stop(), B?.stop(), garbage?.close(), silent?.close(), keyless?.close()]);
  });

  describe('mounting public links', () => {
    it("bob mounts alice's folder link (Basic auth, no request token) and reads through", async () => {
      const token = await link(A, ALICE, { path: '/Shared Folder' });
      const result = await mount(B, BOB, { remote: A.url, token, name: 'Shared Folder' });
      expect(result).toEqual({ status: 200, text: '' });
      const root = await (
        await call(`${B.url}/remote.php/dav/files/bob/`, 'PROPFIND', { auth: BOB, headers: { Depth: '1' } })
      ).text();
      expect(hrefs(root)).toContain('/remote.php/dav/files/bob/Shared Folder/');
      const inside = await (
        await call(`${B.url}/remote.php/dav/files/bob/Shared%20Folder/`, 'PROPFIND', {
          auth: BOB,
          headers: { Depth: '1' },
        })
      ).text();
      expect(hrefs(inside)).toEqual(
        expect.arrayContaining([
          '/remote.php/dav/files/bob/Shared Folder/hello.txt',
          '/remote.php/dav/files/bob/Shared Folder/sub/',
        ]),
      );
      expect(
        await (await call(`${B.url}/remote.php/dav/files/bob/Shared%20Folder/hello.txt`, 'GET', { auth: BOB })).text(),
      ).toBe('hello from alice');
      expect(
        await (
          await call(`${B.url}/remote.php/webdav/Shared%20Folder/sub/deep.txt`, 'GET', {
            auth: BOB,
            headers: { Range: 'bytes=1-2' },
          })
        ).text(),
      ).toBe('ee');
      // Mounted content is read-only here.
      expect(
        (await call(`${B.url}/remote.php/dav/files/bob/Shared%20Folder/new.txt`, 'PUT', { auth: BOB, body: 'x' }))
          .status,
      ).toBe(403);

      const list = await ocs(B.url + REMOTE_SHARES, 'GET', { auth: BOB });
      const items = list.body.ocs.data as ExternalShareItem[];
      expect(items).toEqual([
        expect.objectContaining({
          remote: A.url,
          remote_id: '-1',
          name: '/Shared Folder',
          owner: 'Alice',
          mountpoint: '/Shared Folder',
          accepted: '1',
          type: 'dir',
        }),
      ]);
      // The web UI lists the mount with its origin.
      const jar = new CookieJar();
      const rt = requestTokenOf(await (await call(`${B.url}/index.php/login`, 'GET', { jar })).text());
      await call(`${B.url}/index.php/login`, 'POST', {
        jar,
        form: { user: 'bob', password: 'bob-pw', requesttoken: rt },
      });
      const files = await (await call(`${B.url}/index.php/apps/files/`, 'GET', { jar })).text();
      expect(files).toContain('data-file="Shared Folder"');
      expect(files).toContain(`data-remote="${A.url}"`);
      const inMount = await (
        await call(`${B.url}/index.php/apps/files/?dir=%2FShared%20Folder`, 'GET', { jar })
      ).text();
      expect(inMount).toContain('hello.txt');
    });

    it("alice mounts bob's link the other way, with a browser session that needs the request token", async () => {
      const token = await link(B, BOB, { path: '/Bob Docs' });
      const jar = new CookieJar();
      const rt = requestTokenOf(await (await call(`${A.url}/index.php/login`, 'GET', { jar })).text());
      await call(`${A.url}/index.php/login`, 'POST', {
        jar,
        form: { user: 'alice', password: 'alice-pw', requesttoken: rt },
      });
      const form = { remote: B.url, token, owner: 'bob', ownerDisplayName: 'Bob', name: 'Bob Docs', password: '' };
      const noToken = await call(`${A.url}/index.php/apps/files_sharing/external`, 'POST', { jar, form });
      expect(await noToken.json()).toEqual({
        data: { message: 'Token expired. Please reload page.', error: 'token_expired' },
        status: 'error',
      });
      const filesPage = await (await call(`${A.url}/index.php/apps/files/`, 'GET', { jar })).text();
      const ok = await call(`${A.url}/index.php/apps/files_sharing/external`, 'POST', {
        jar,
        form,
        headers: { requesttoken: requestTokenOf(filesPage) },
      });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe('');
      expect(await (await call(`${A.url}/remote.php/webdav/Bob%20Docs/bob.txt`, 'GET', { auth: ALICE })).text()).toBe(
        'hello from bob',
      );
      // Not logged in at all.
      const anon = await call(`${A.url}/index.php/apps/files_sharing/external`, 'POST', { form });
      expect(((await anon.json()) as { data: { error: string } }).data.error).toBe('token_expired');
    });

    it('takes ownCloud\'s "Add to" redirect (#remote=…) through login and a confirmation form', async () => {
      const token = await link(A, ALICE, { path: '/Protected', password: 'hash-pass' });
      const script = await call(`${B.url}/core/js/add-share.js`);
      expect(script.headers.get('content-type')).toContain('javascript');
      expect(await script.text()).toContain('redirect_url');
      // The script turns the fragment into this query; the login form carries it as redirect_url.
      const query = new URLSearchParams({
        remote: A.url,
        token,
        owner: 'alice',
        ownerDisplayName: 'Alice',
        name: 'Via <Hash>',
        protected: '1',
      }).toString();
      const jar = new CookieJar();
      const rt = requestTokenOf(await (await call(`${B.url}/index.php/login`, 'GET', { jar })).text());
      const login = await call(`${B.url}/index.php/login`, 'POST', {
        jar,
        form: { user: 'bob', password: 'bob-pw', requesttoken: rt, redirect_url: `/index.php/apps/files/?${query}` },
      });
      expect(login.headers.get('location')).toBe(`/index.php/apps/files/?${query}`);
      const page = await (await call(`${B.url}${login.headers.get('location') ?? ''}`, 'GET', { jar })).text();
      expect(page).toContain('id="add-remote-share"');
      expect(page).toContain('Via &lt;Hash&gt;');
      expect(page).toContain('id="remote-share-password"');
      const form = {
        remote: A.url,
        token,
        owner: 'alice',
        ownerDisplayName: 'Alice',
        name: 'Via Hash',
        password: 'hash-pass',
        requesttoken: requestTokenOf(page),
      };
      const added = await call(`${B.url}/index.php/apps/files/add-share`, 'POST', { jar, form });
      expect(added.status).toBe(303);
      expect(added.headers.get('location')).toBe('/index.php/apps/files/?added=%2FVia%20Hash');
      expect(await (await call(`${B.url}/remote.php/webdav/Via%20Hash/p.txt`, 'GET', { auth: BOB })).text()).toBe(
        'protected content',
      );
      const wrong = await call(`${B.url}/index.php/apps/files/add-share`, 'POST', {
        jar,
        form: { ...form, name: 'Other', password: 'bad' },
      });
      expect(decodeURIComponent(wrong.headers.get('location') ?? '')).toContain('password might be wrong');
      // No open redirect after login.
      const jar2 = new CookieJar();
      const rt2 = requestTokenOf(await (await call(`${B.url}/index.php/login`, 'GET', { jar: jar2 })).text());
      const evil = await call(`${B.url}/index.php/login`, 'POST', {
        jar: jar2,
        form: { user: 'bob', password: 'bob-pw', requesttoken: rt2, redirect_url: 'https://evil.example/' },
      });
      expect(evil.headers.get('location')).toBe('/index.php/apps/files/');
    });

    it('mounts a password-protected link only with the right password', async () => {
      const token = await link(A, ALICE, { path: '/Protected', password: 'prot-pass-9' });
      const wrong = await mount(B, BOB, { remote: A.url, token, name: 'Protected', password: 'nope' });
      expect(wrong.text).toBe(errorBody('Could not authenticate to federated share, password might be wrong'));
      const right = await mount(B, BOB, { remote: A.url, token, name: 'Protected', password: 'prot-pass-9' });
      expect(right).toEqual({ status: 200, text: '' });
      expect(await (await call(`${B.url}/remote.php/webdav/Protected/p.txt`, 'GET', { auth: BOB })).text()).toBe(
        'protected content',
      );
      expect(B.logs()).not.toContain('prot-pass-9');
      expect(B.logs()).not.toContain(token);
      expect(A.logs()).not.toContain(token);
    });

    it('mounts a single-file link and gives a colliding name a free mount point', async () => {
      const token = await link(A, ALICE, { path: '/report.txt' });
      expect((await mount(B, BOB, { remote: A.url, token, name: 'report.txt' })).status).toBe(200);
      const token2 = await link(A, ALICE, { path: '/report.txt' });
      expect((await mount(B, BOB, { remote: `${A.url}/`, token: token2, name: 'report.txt' })).status).toBe(200);
      expect(await (await call(`${B.url}/remote.php/webdav/report.txt`, 'GET', { auth: BOB })).text()).toBe('report');
      expect(await (await call(`${B.url}/remote.php/webdav/report%20(2).txt`, 'GET', { auth: BOB })).text()).toBe(
        'report',
      );
    });

    it('stops reading an expired link and refuses to mount it', async () => {
      const token = await link(A, ALICE, { path: '/Shared Folder' });
      expect((await mount(B, BOB, { remote: A.url, token, name: 'Soon Expired' })).status).toBe(200);
      await A.withStore(async (store) =>
        store.updateShare((await store.getShareByToken(token))?.id ?? -1, { expiration: '2000-01-01' }),
      );
      const read = await call(`${B.url}/remote.php/webdav/Soon%20Expired/hello.txt`, 'GET', { auth: BOB });
      expect(read.status).toBe(502);
      expect(await read.text()).toContain('no longer accessible');
      expect((await mount(B, BOB, { remote: A.url, token, name: 'Again' })).text).toBe(
        errorBody('Could not authenticate to federated share, password might be wrong'),
      );
    });

    it('reports bad names, unknown tokens and broken remotes like ownCloud', async () => {
      expect((await mount(B, BOB, { remote: A.url, token: 'abc', name: 'a/b' })).text).toBe(
        errorBody('The mountpoint name contains invalid characters.'),
      );
      expect((await mount(B, BOB, { remote: A.url, token: 'unknownToken12', name: 'x' })).text).toBe(
        errorBody('Could not authenticate to federated share, password might be wrong'),
      );
      const closed = `http://127.0.0.1:${await freePort()}`;
      expect((await mount(B, BOB, { remote: closed, token: 'abc', name: 'x' })).text).toBe(
        errorBody('Remote is unreachable'),
      );
      expect((await mount(B, BOB, { remote: garbage.url, token: 'abc', name: 'x' })).text).toBe(
        errorBody('Storage not valid'),
      );
      const started = Date.now();
      expect((await mount(B, BOB, { remote: silent.url, token: 'abc', name: 'x' })).text).toBe(
        errorBody('Remote is unreachable'),
      );
      expect(Date.now() - started).toBeLessThan(5000);
      const bad = await call(`${B.url}/index.php/apps/files_sharing/external`, 'POST', {
        auth: ['bob', 'wrong'],
        form: { remote: A.url, token: 'x', name: 'x' },
      });
      expect(((await bad.json()) as { data: { error: string } }).data.error).toBe('token_expired');
    });

    it('turns a mount whose remote went down or hangs into clear 502/504 errors, fast', async () => {
      // Mounts pointing at a closed port and at a server that never answers, as if those remotes failed after mounting.
      const closed = `http://127.0.0.1:${await freePort()}`;
      await B.withStore(async (store) => {
        for (const [remote, name] of [
          [closed, 'Gone'],
          [silent.url, 'Hangs'],
        ] as const) {
          await store.addExternalShare({
            uid: 'bob',
            kind: 'link',
            remote,
            remoteId: '-1',
            shareToken: 'tok',
            password: '',
            name,
            owner: 'x',
            mountpoint: `/${name}`,
            accepted: true,
            itemType: 'folder',
            davUrl: `${remote}/public.php/webdav/`,
          });
        }
      });
      const gone = await call(`${B.url}/remote.php/webdav/Gone/a.txt`, 'GET', { auth: BOB });
      expect(gone.status).toBe(502);
      expect(await gone.text()).toContain('Remote is unreachable');
      const started = Date.now();
      const hangs = await call(`${B.url}/remote.php/webdav/Hangs/`, 'PROPFIND', { auth: BOB, headers: { Depth: '1' } });
      expect(hangs.status).toBe(504);
      expect(await hangs.text()).toContain('Remote did not answer in time');
      expect(Date.now() - started).toBeLessThan(5000);
      // The user's root still lists (mount entries do not need the remote), and unmounting works while it is down.
      const root = await call(`${B.url}/remote.php/webdav/`, 'PROPFIND', { auth: BOB, headers: { Depth: '1' } });
      expect(hrefs(await root.text())).toEqual(
        expect.arrayContaining(['/remote.php/webdav/Gone/', '/remote.php/webdav/Hangs/']),
      );
      expect((await call(`${B.url}/remote.php/webdav/Gone`, 'DELETE', { auth: BOB })).status).toBe(204);
      expect((await call(`${B.url}/remote.php/webdav/Hangs`, 'DELETE', { auth: BOB })).status).toBe(204);
    });

    it('answers testremote with "http" or false (to a logged-in user)', async () => {
      const host = A.url.replace('http://', '');
      expect(
        await (
          await call(`${B.url}/index.php/apps/files_sharing/testremote?remote=${encodeURIComponent(host)}`, 'GET', {
            auth: BOB,
          })
        ).json(),
      ).toBe('http');
      expect(
        await (
          await call(`${B.url}/index.php/apps/files_sharing/testremote?remote=127.0.0.1%3A${await freePort()}`, 'GET', {
            auth: BOB,
          })
        ).json(),
      ).toBe(false);
      expect(
        await (
          await call(
            `${B.url}/index.php/apps/files_sharing/testremote?remote=${encodeURIComponent(garbage.url)}`,
            'GET',
            { auth: BOB },
          )
        ).json(),
      ).toBe(false);
    });

    it('unmounts through remote_shares', async () => {
      const token = await link(A, ALICE, { path: '/Shared Folder' });
      await mount(B, BOB, { remote: A.url, token, name: 'To Remove' });
      const items = (await ocs(B.url + REMOTE_SHARES, 'GET', { auth: BOB })).body.ocs.data as ExternalShareItem[];
      const item = items.find((i) => i.mountpoint === '/To Remove');
      expect(item).toBeDefined();
      expect((await ocs(`${B.url}${REMOTE_SHARES}/${item?.id}`, 'DELETE', { auth: BOB })).status).toBe(200);
      expect((await call(`${B.url}/remote.php/webdav/To%20Remove/hello.txt`, 'GET', { auth: BOB })).status).toBe(404);
      expect((await ocs(`${B.url}${REMOTE_SHARES}/99999`, 'DELETE', { auth: BOB })).status).toBe(404);
    });
  });

  describe('federated user shares (shareType 6, OCM)', () => {
    const bobId = () => `bob@${B.url.replace('http://', '')}`;

    async function pending(): Promise<ExternalShareItem[]> {
      return (await ocs(`${B.url}${REMOTE_SHARES}/pending`, 'GET', { auth: BOB })).body.ocs.data as ExternalShareItem[];
    }

    it('shares to bob, bob accepts, reads through, alice unshares', async () => {
      const created = await ocs(A.url + SHARES, 'POST', {
        auth: ALICE,
        form: { path: '/Fed Folder', shareType: '6', shareWith: bobId() },
      });
      expect(created.status).toBe(200);
      const share = created.body.ocs.data as { id: string; share_type: number; share_with: string; accepted: boolean };
      expect(share).toMatchObject({ share_type: 6, share_with: bobId(), accepted: false });

      const open = (await pending()).find((p) => p.name === '/Fed Folder');
      expect(open).toMatchObject({
        remote: A.url,
        remote_id: share.id,
        owner: 'alice',
        mountpoint: '{{TemporaryMountPointName#/Fed Folder}}',
        accepted: '0',
      });
      const accepted = await ocs(`${B.url}${REMOTE_SHARES}/pending/${open?.id}`, 'POST', { auth: BOB });
      expect(accepted.body.ocs.data).toEqual([{ state: 0, file_target: '/Fed Folder' }]);
      expect(
        await (await call(`${B.url}/remote.php/dav/files/bob/Fed%20Folder/fed.txt`, 'GET', { auth: BOB })).text(),
      ).toBe('fed content');

      // Alice's node got SHARE_ACCEPTED.
      const onA = await ocs(`${A.url}${SHARES}/${share.id}`, 'GET', { auth: ALICE });
      expect((onA.body.ocs.data as { accepted: boolean }[])[0]?.accepted).toBe(true);

      // Unshare: alice deletes, bob's node gets SHARE_UNSHARED and the mount disappears.
      expect((await ocs(`${A.url}${SHARES}/${share.id}`, 'DELETE', { auth: ALICE })).status).toBe(200);
      const mounted = (await ocs(B.url + REMOTE_SHARES, 'GET', { auth: BOB })).body.ocs.data as ExternalShareItem[];
      expect(mounted.find((m) => m.name === '/Fed Folder')).toBeUndefined();
      expect((await call(`${B.url}/remote.php/dav/files/bob/Fed%20Folder/fed.txt`, 'GET', { auth: BOB })).status).toBe(
        404,
      );
    });

    it('two shares with the same name, accepted at once, get two mount points (on a cluster: by two nodes)', async () => {
      const ids: string[] = [];
      for (const path of ['/Twin', '/Nested/Twin']) {
        const created = await ocs(A.url + SHARES, 'POST', {
          auth: ALICE,
          form: { path, shareType: '6', shareWith: bobId() },
        });
        ids.push((created.body.ocs.data as { id: string }).id);
      }
      const open = (await pending()).filter((p) => ids.includes(p.remote_id));
      expect(open).toHaveLength(2);
      const answers = await Promise.all(
        open.map((p) => ocs(`${B.url}${REMOTE_SHARES}/pending/${p.id}`, 'POST', { auth: BOB })),
      );
      const targets = answers.map((a) => (a.body.ocs.data as { file_target: string }[])[0]?.file_target);
      expect(targets.sort()).toEqual(['/Twin', '/Twin (2)']);
      const read = async (mountpoint: string) =>
        (
          await call(`${B.url}/remote.php/webdav${encodeURI(mountpoint)}/`, 'PROPFIND', {
            auth: BOB,
            headers: { Depth: '1' },
          })
        ).text();
      const contents = await Promise.all(['/Twin', '/Twin (2)'].map(read));
      expect(
        contents
          .map((xml) =>
            hrefs(xml).some((h) => h.endsWith('/a.txt'))
              ? 'a'
              : hrefs(xml).some((h) => h.endsWith('/b.txt'))
                ? 'b'
                : '?',
          )
          .sort(),
      ).toEqual(['a', 'b']);
    });

    it("bob declines and alice's share goes away", async () => {
      const created = await ocs(A.url + SHARES, 'POST', {
        auth: ALICE,
        form: { path: '/Fed2', shareType: '6', shareWith: bobId() },
      });
      const id = (created.body.ocs.data as { id: string }).id;
      const open = (await pending()).find((p) => p.remote_id === id);
      expect((await ocs(`${B.url}${REMOTE_SHARES}/pending/${open?.id}`, 'DELETE', { auth: BOB })).status).toBe(200);
      expect((await ocs(`${A.url}${SHARES}/${id}`, 'GET', { auth: ALICE })).status).toBe(404);
      expect((await ocs(`${B.url}${REMOTE_SHARES}/pending/${open?.id}`, 'POST', { auth: BOB })).status).toBe(404);
    });

    it('turns a link into a federated share with createFederatedShare (Nextcloud style)', async () => {
      const token = await link(A, ALICE, { path: '/Protected', password: 'cfs-pass' });
      const endpoint = `${A.url}/index.php/apps/federatedfilesharing/createFederatedShare`;
      const wrong = await call(endpoint, 'POST', { form: { shareWith: bobId(), token, password: 'bad' } });
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toEqual({ message: 'No permission to access the share' });
      const bogus = await call(endpoint, 'POST', { form: { shareWith: bobId(), token: 'nopeNopeNope123' } });
      expect(bogus.status).toBe(400);
      const invalid = await call(endpoint, 'POST', { form: { shareWith: 'not-a-cloud-id', token } });
      expect(await invalid.json()).toEqual({ message: 'Invalid Federated Cloud ID' });
      const ok = await call(endpoint, 'POST', { json: { shareWith: bobId(), token, password: 'cfs-pass' } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ remoteUrl: B.url.replace('http://', '') });
      expect((await pending()).some((p) => p.name === '/Protected' && p.remote === A.url)).toBe(true);
    });

    it('reports an unreachable receiver', async () => {
      const created = await ocs(A.url + SHARES, 'POST', {
        auth: ALICE,
        form: { path: '/Fed2', shareType: '6', shareWith: `bob@127.0.0.1:${await freePort()}` },
      });
      expect(created.status).toBe(403);
      expect(created.body.ocs.meta.message).toMatch(
        /^Sharing Fed2 failed, could not find bob@127\.0\.0\.1:\d+, maybe the server is currently unreachable\.$/,
      );
      const garbageShare = await ocs(A.url + SHARES, 'POST', {
        auth: ALICE,
        form: { path: '/Fed2', shareType: '6', shareWith: `bob@${garbage.url}` },
      });
      expect(garbageShare.status).toBe(403);
    });
  });

  describe('OCM and legacy endpoints: errors like ownCloud', () => {
    const ocm = (node: Service, p: string, json: unknown) => call(`${node.url}${p}`, 'POST', { json });
    // These unsigned calls speak for a server that advertises no signing key (like ownCloud 10); for a node that has
    // one (A) they are refused (ocm-signature.test.ts).
    const KEYLESS = () => keyless.url;
    const valid = () => ({
      shareWith: 'bob@x',
      name: 'Fake',
      providerId: '424242',
      owner: `alice@${KEYLESS()}`,
      ownerDisplayName: 'alice',
      sender: `alice@${KEYLESS()}`,
      senderDisplayName: 'alice',
      shareType: 'user',
      resourceType: 'file',
      protocol: { name: 'webdav', options: { sharedSecret: 'fakeSecret424242' } },
    });

    it('validates OCM /shares on both paths', async () => {
      for (const p of ['/index.php/apps/federatedfilesharing/shares', '/index.php/ocm/shares']) {
        const missing = await ocm(B, p, {});
        expect(missing.status).toBe(400);
        expect(await missing.json()).toEqual({
          message: 'Required parameters are missing: shareWith,name,providerId,owner,shareType,resourceType',
        });
        const ftp = await ocm(B, p, { ...valid(), protocol: { name: 'ftp' } });
        expect(ftp.status).toBe(501);
        expect(await ftp.json()).toEqual({ message: 'Protocol ftp is not supported' });
        // Unknown users are answered like known ones (no account enumeration; ownCloud answers 400 "User … does not
        // exist").
        const nobody = await ocm(B, p, { ...valid(), shareWith: 'nobody@x' });
        expect(nobody.status).toBe(201);
        expect(await nobody.json()).toEqual([]);
        expect(await (await ocm(B, p, { ...valid(), name: '/Bad' })).json()).toEqual({
          message: 'The mountpoint name contains invalid characters.',
        });
      }
      const created = await ocm(B, '/index.php/apps/federatedfilesharing/shares', valid());
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual([]);
      expect(B.logs()).not.toContain('fakeSecret424242');
    });

    it('validates notifications', async () => {
      const bad = await ocm(A, '/index.php/apps/federatedfilesharing/notifications', {});
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ message: 'server can not add federated share, missing parameter' });
      const unknown = await ocm(A, '/index.php/ocm/notifications', {
        notificationType: 'SHARE_ACCEPTED',
        resourceType: 'file',
        providerId: '999',
        notification: { sharedSecret: 'x' },
      });
      expect(unknown.status).toBe(201);
    });

    it('answers the legacy /cloud/shares endpoints', async () => {
      const missing = await ocs(`${B.url}/ocs/v2.php/cloud/shares`, 'POST', { form: {} });
      expect(missing.status).toBe(400);
      expect(missing.body.ocs.meta.message).toBe(
        'Required parameters are missing: remote,token,name,owner,remoteId,shareWith',
      );
      const unknown = await ocs(`${B.url}/ocs/v2.php/cloud/shares`, 'POST', {
        form: { remote: KEYLESS(), token: 't', name: 'n', owner: 'alice', remoteId: '1', shareWith: 'nobody' },
      });
      expect(unknown.status).toBe(200); // like a known user: no account enumeration (ownCloud: 400 "User does not exist")
      const bogus = await ocs(`${A.url}/ocs/v2.php/cloud/shares/999/accept`, 'POST', { form: { token: 'x' } });
      expect(bogus.status).toBe(410);
      expect(bogus.body.ocs.meta.message).toBe('Share with id 999 does not exist');
      const ok = await ocs(`${B.url}/ocs/v2.php/cloud/shares`, 'POST', {
        form: {
          remote: KEYLESS(),
          token: 'legacyTok',
          name: 'Legacy',
          owner: 'alice',
          remoteId: '77',
          shareWith: 'bob',
        },
      });
      expect(ok.status).toBe(200);
    });
  });

  if (topology === 'cluster') {
    it('spread the requests over both nodes of each cluster', () => {
      for (const service of [A, B]) {
        const counts = [...service.requestsPerNode().values()];
        expect(counts).toHaveLength(2);
        for (const count of counts) expect(count).toBeGreaterThan(5);
      }
    });
  }
}
