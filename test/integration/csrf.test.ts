import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from './helpers/node';
import { fakePeer } from './helpers/fake-peer';
import { basic, call, CookieJar, ocs, rawCall, requestTokenOf, type CallOptions } from './helpers/http';

// Issue 8, finding 2: a browser that holds a user's Basic credentials (or session cookie) sends them with any request a
// hostile page makes it send, e.g. an auto-submitting cross-site form. So every state-changing call made with a user's
// credentials must carry a header a form cannot send (OCS-APIRequest: true, or the session's requesttoken), as
// Nextcloud 31 demands (412 {"message":"CSRF check failed"}), and browser navigations never get a Basic challenge.

let node: TestNode;
const ALICE: [string, string] = ['alice', 'alice-pw'];
let appPassword: [string, string];
let session: CookieJar;
let sessionToken: string;
const SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/shares';
const CSRF_FAILED = '{"message":"CSRF check failed"}';

async function expectCsrfRefusal(response: Response): Promise<void> {
  expect(response.status).toBe(412);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await response.text()).toBe(CSRF_FAILED);
}

/** The three ways a browser can hold alice's credentials, without any CSRF proof. */
function credentialsWithoutProof(): [string, CallOptions][] {
  return [
    ['login password', { auth: ALICE, apiHeader: false }],
    ['app password', { auth: appPassword, apiHeader: false }],
    ['session cookie', { jar: session }],
  ];
}

async function aliceShares(): Promise<{ id: string; share_type: number }[]> {
  return (await ocs(`${node.url}${SHARES}`, 'GET', { auth: ALICE })).body.ocs.data as {
    id: string;
    share_type: number;
  }[];
}

beforeAll(async () => {
  node = await startNode({
    users: [
      { name: 'alice', password: 'alice-pw' },
      { name: 'bob', password: 'bob-pw' },
    ],
    files: { alice: { 'report.txt': 'report', 'Folder/a.txt': 'a' } },
  });
  const converted = await ocs(`${node.url}/ocs/v2.php/core/getapppassword`, 'GET', { auth: ALICE });
  appPassword = ['alice', (converted.body.ocs.data as { apppassword: string }).apppassword];
  session = new CookieJar();
  const rt = requestTokenOf(await (await call(`${node.url}/index.php/login`, 'GET', { jar: session })).text());
  expect(
    (
      await call(`${node.url}/index.php/login`, 'POST', {
        jar: session,
        form: { user: 'alice', password: 'alice-pw', requesttoken: rt },
      })
    ).status,
  ).toBe(303);
  sessionToken = requestTokenOf(
    await (await call(`${node.url}/index.php/apps/files/`, 'GET', { jar: session })).text(),
  );
});
afterAll(async () => node?.stop());

describe("state-changing calls with a user's credentials", () => {
  it('are refused without OCS-APIRequest or requesttoken, for the password, an app password and the session', async () => {
    for (const [, options] of credentialsWithoutProof()) {
      for (const version of ['v1', 'v2']) {
        const url = `${node.url}/ocs/${version}.php/apps/files_sharing/api/v1/shares?format=json`;
        await expectCsrfRefusal(await call(url, 'POST', { ...options, form: { path: '/report.txt', shareType: '3' } }));
        await expectCsrfRefusal(
          await call(url, 'POST', {
            ...options,
            form: { path: '/Folder', shareType: '6', shareWith: 'mallory@http://127.0.0.1:9' },
          }),
        );
      }
    }
    expect(await aliceShares()).toEqual([]);
  });

  it("pass with OCS-APIRequest: true, or with the session's requesttoken header", async () => {
    const form = { path: '/report.txt', shareType: '3' };
    expect((await ocs(`${node.url}${SHARES}`, 'POST', { auth: ALICE, form })).status).toBe(200);
    expect((await ocs(`${node.url}${SHARES}`, 'POST', { auth: appPassword, form })).status).toBe(200);
    expect((await ocs(`${node.url}${SHARES}`, 'POST', { jar: session, form })).status).toBe(200);
    const withToken = await call(`${node.url}${SHARES}?format=json`, 'POST', {
      jar: session,
      form,
      headers: { requesttoken: sessionToken },
    });
    expect(withToken.status).toBe(200);
    // Another session's token is no proof.
    const wrongToken = await call(`${node.url}${SHARES}?format=json`, 'POST', {
      jar: session,
      form,
      headers: { requesttoken: 'not-the-token' },
    });
    await expectCsrfRefusal(wrongToken);
    expect(await aliceShares()).toHaveLength(4);
  });

  it('covers updating and deleting shares, remote shares and app passwords, and getapppassword', async () => {
    const [share] = await aliceShares();
    const id = share?.id ?? '';
    for (const [, options] of credentialsWithoutProof()) {
      await expectCsrfRefusal(
        await call(`${node.url}${SHARES}/${id}?format=json`, 'PUT', { ...options, form: { password: 'taken-over' } }),
      );
      await expectCsrfRefusal(await call(`${node.url}${SHARES}/${id}?format=json`, 'DELETE', options));
      const remoteShares = `${node.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares`;
      await expectCsrfRefusal(await call(`${remoteShares}/pending/1?format=json`, 'POST', options));
      await expectCsrfRefusal(await call(`${remoteShares}/pending/1?format=json`, 'DELETE', options));
      await expectCsrfRefusal(await call(`${remoteShares}/1?format=json`, 'DELETE', options));
    }
    expect((await aliceShares()).map((s) => s.id)).toContain(id);
    // Revoking the app password, and Nextcloud's GET that creates one.
    await expectCsrfRefusal(
      await call(`${node.url}/ocs/v2.php/core/apppassword?format=json`, 'DELETE', {
        auth: appPassword,
        apiHeader: false,
      }),
    );
    await expectCsrfRefusal(
      await call(`${node.url}/ocs/v2.php/core/getapppassword?format=json`, 'GET', { auth: ALICE, apiHeader: false }),
    );
    expect((await ocs(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { auth: appPassword })).status).toBe(200);
  });

  it('covers `external` (mounting a link): Basic needs OCS-APIRequest, a session its request token', async () => {
    const form = {
      remote: 'http://127.0.0.1:9',
      token: 'abcdefABCDEF123',
      owner: 'm',
      ownerDisplayName: 'm',
      name: 'Bad/Name',
      password: '',
    };
    const external = `${node.url}/index.php/apps/files_sharing/external`;
    await expectCsrfRefusal(await call(external, 'POST', { auth: ALICE, apiHeader: false, form }));
    await expectCsrfRefusal(await call(external, 'POST', { auth: appPassword, apiHeader: false, form }));
    // A session without its token gets ownCloud's answer for a failed CSRF check on this endpoint.
    expect(await (await call(external, 'POST', { jar: session, form })).json()).toMatchObject({
      data: { error: 'token_expired' },
    });
    // With proof the request goes on to mounting (and stops at the invalid name).
    const invalidName = { data: { message: 'The mountpoint name contains invalid characters.' }, status: 'error' };
    expect(await (await call(external, 'POST', { auth: ALICE, form })).json()).toEqual(invalidName);
    expect(
      await (await call(external, 'POST', { jar: session, form: { ...form, requesttoken: sessionToken } })).json(),
    ).toEqual(invalidName);
    expect(
      await (await call(external, 'POST', { jar: session, form, headers: { 'OCS-APIRequest': 'true' } })).json(),
    ).toEqual(invalidName);
  });

  it('reads with Basic auth need no header (ownCloud clients), a session needs it (ownCloud and Nextcloud)', async () => {
    for (const path of [
      '/ocs/v2.php/cloud/user',
      SHARES,
      '/ocs/v1.php/cloud/capabilities',
      '/ocs/v2.php/apps/files_sharing/api/v1/remote_shares',
    ]) {
      expect((await call(`${node.url}${path}?format=json`, 'GET', { auth: ALICE, apiHeader: false })).status).toBe(200);
    }
    await expectCsrfRefusal(await call(`${node.url}/ocs/v2.php/cloud/user?format=json`, 'GET', { jar: session }));
    expect((await ocs(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { jar: session })).status).toBe(200);
  });
});

describe('forms of the web UI, the link password page and Login Flow v2', () => {
  it("keep needing the session's request token", async () => {
    const jar = new CookieJar();
    await call(`${node.url}/index.php/login`, 'GET', { jar });
    expect(
      (await call(`${node.url}/index.php/login`, 'POST', { jar, form: { user: 'alice', password: 'alice-pw' } }))
        .status,
    ).toBe(403);
    const flow = (await (await call(`${node.url}/index.php/login/v2`, 'POST')).json()) as { login: string };
    await call(flow.login, 'GET', { jar });
    expect((await call(flow.login, 'POST', { jar, form: { user: 'alice', password: 'alice-pw' } })).status).toBe(403);
    // alice's logged-in session, without its token: no grant, no mount, no logout.
    const loginToken = flow.login.split('/').at(-1) ?? '';
    expect(
      (await call(`${node.url}/index.php/login/v2/grant`, 'POST', { jar: session, form: { token: loginToken } }))
        .status,
    ).toBe(403);
    const addShare = await call(`${node.url}/index.php/apps/files/add-share`, 'POST', {
      jar: session,
      form: { remote: 'http://127.0.0.1:9', token: 'abcdefABCDEF123', name: 'X' },
    });
    expect(addShare.headers.get('location')).toBe('/index.php/login');
    await call(`${node.url}/index.php/logout`, 'GET', { jar: session });
    expect((await call(`${node.url}/index.php/apps/files/`, 'GET', { jar: session })).status).toBe(200);
  });
});

describe('unauthenticated server-to-server calls', () => {
  it('keep working exactly as real peers send them (no header, no credentials)', async () => {
    // The peer: a reachable server whose discovery advertises no key (ownCloud 10), so its unsigned calls are taken.
    const peer = await fakePeer();
    try {
      const ocmShare = (providerId: string) => ({
        shareWith: 'bob@127.0.0.1',
        name: `From peer ${providerId}`,
        providerId,
        owner: `peer@${peer.url}`,
        ownerDisplayName: 'Peer',
        sender: `peer@${peer.url}`,
        shareType: 'user',
        resourceType: 'file',
        protocol: {
          name: 'webdav',
          options: {
            sharedSecret: `secret${providerId}`,
            permissions: '{http://open-cloud-mesh.org/ns}share-permissions',
          },
        },
      });
      for (const [i, path] of [
        '/index.php/ocm/shares',
        '/ocm/shares',
        '/index.php/apps/federatedfilesharing/shares',
      ].entries()) {
        const response = await call(`${node.url}${path}`, 'POST', { json: ocmShare(String(i + 1)) });
        expect(response.status).toBe(201);
      }
      const legacy = await call(`${node.url}/ocs/v2.php/cloud/shares?format=json`, 'POST', {
        form: {
          remote: peer.url,
          token: 'legacySecret1',
          name: 'Legacy',
          owner: 'peer',
          remoteId: '7',
          shareWith: 'bob',
        },
      });
      expect(legacy.status).toBe(200);
      const notification = await call(`${node.url}/ocm/notifications`, 'POST', {
        json: {
          notificationType: 'SHARE_UNSHARED',
          resourceType: 'file',
          providerId: '1',
          notification: { sharedSecret: 'secret1', message: 'gone' },
        },
      });
      expect(notification.status).toBe(201);
      const pending = await ocs(`${node.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending`, 'GET', {
        auth: ['bob', 'bob-pw'],
      });
      expect((pending.body.ocs.data as { name: string }[]).map((s) => s.name).sort()).toEqual([
        '/From peer 2',
        '/From peer 3',
        '/Legacy',
      ]);
    } finally {
      await peer.close();
    }
  });
});

describe('the Basic challenge', () => {
  const NAVIGATION = {
    'Sec-Fetch-Mode': 'navigate',
    'Sec-Fetch-Dest': 'document',
    Accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
  };

  it('is never sent to a browser navigation, so browsers never cache the credentials', async () => {
    const wrong = { Authorization: basic('alice', 'wrong') };
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const cases: [string, string, Record<string, string>, string?][] = [
      ['/ocs/v2.php/cloud/user', 'GET', {}],
      ['/ocs/v2.php/cloud/user', 'GET', wrong],
      [`${SHARES}?format=json`, 'POST', form, 'path=%2Freport.txt&shareType=3'],
      ['/remote.php/webdav/', 'GET', {}],
      ['/remote.php/dav/files/alice/report.txt', 'GET', wrong],
      ['/public.php/webdav/', 'GET', {}],
    ];
    for (const [path, method, headers, body] of cases) {
      const response = await rawCall(`${node.url}${path}`, method, { ...NAVIGATION, ...headers }, body);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers['www-authenticate'], `${method} ${path}`).toBeUndefined();
    }
    // Browsers too old for Sec-Fetch-* are recognised by asking for HTML.
    const old = await rawCall(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { Accept: 'text/html,*/*' });
    expect(old.status).toBe(401);
    expect(old.headers['www-authenticate']).toBeUndefined();
  });

  it('is still sent to WebDAV and API clients, which need it', async () => {
    for (const [path, method, headers] of [
      ['/remote.php/webdav/', 'PROPFIND', {}],
      ['/remote.php/dav/files/alice/', 'GET', { Accept: '*/*' }],
      ['/public.php/webdav/', 'PROPFIND', {}],
      ['/ocs/v2.php/cloud/user', 'GET', { Accept: 'application/json', 'Sec-Fetch-Mode': 'cors' }],
    ] as [string, string, Record<string, string>][]) {
      const response = await rawCall(`${node.url}${path}`, method, headers);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers['www-authenticate'], `${method} ${path}`).toMatch(/^Basic realm=/);
    }
  });
});
