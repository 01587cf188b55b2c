import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { startNode, type TestNode } from './helpers/node';
import { basic, call, hrefs, ocs } from './helpers/http';
import {
  davStructure,
  decodeBasic,
  fakeOwnCloud,
  parseMultistatus,
  propfindNames,
  readExchanges,
  readResponse,
  type DavResponse,
  type Exchange,
  type FakeOwnCloud,
} from './helpers/captures';

// Interop with a real ownCloud 10.15.2, proven against its recorded server-to-server traffic
// (test/fixtures/captures/owncloud-10.15.2/s2s-via-*; see the README there). Two ownCloud servers talked through
// logging proxies: 8111 fronts alice's server (the sharer), 8112 bob's (the receiver).
//   s2s-via-8111-to-alice: what bob's ownCloud sent to alice's: 001-013 mounting alice's public link "Shared Folder"
//     (token Pz2LtHr5UaTv6BX) and listing it, 014 alice's own OCS call creating a federated share to bob (curl),
//     015-018 bob accepting it (PROPFIND with the shared secret X3vbVbBvVP7q0o4, SHARE_ACCEPTED), 019-027 bob listing
//     the accepted share, 028 alice deleting the share (curl).
//   s2s-via-8112-to-bob: what alice's ownCloud sent to bob's: OCM discovery + POST /shares, then on delete discovery +
//     SHARE_UNSHARED.
// A: an ownCloud receiver talking to the companion as sharer (replay 8111 against the companion).
// B: an ownCloud sharer talking to the companion as receiver (replay 8112 against the companion).
// C: the companion as receiver talking to an ownCloud sharer (a fake that answers with the 8111 responses), and the
//    companion as sharer talking to an ownCloud receiver (a fake answering with the 8112 responses, used by A).

const CAPTURED_ALICE = '127.0.0.1:8111';
const CAPTURED_BOB = '127.0.0.1:8112';
const CAPTURED_LINK = 'Pz2LtHr5UaTv6BX';
const CAPTURED_SECRET = 'X3vbVbBvVP7q0o4';
const CAPTURED_SHARE_ID = '8';
const FILES = {
  // Same names and sizes as alice's folder in the capture (hello.txt 24 bytes, notes.md 10, sub/deep.txt 9: 43 in all).
  'Shared Folder/hello.txt': 'hello from alice on 8101',
  'Shared Folder/notes.md': 'notes text',
  'Shared Folder/sub/deep.txt': 'deep file',
};
const ALICE: [string, string] = ['alice', 'alice-pw'];
const BOB: [string, string] = ['bob', 'bob-pw'];
const SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/shares';
const REMOTE_SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/remote_shares';
const RFC1123 = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

type Json = Record<string, unknown>;
const toAliceExchanges = () => readExchanges('s2s-via-8111-to-alice');
const toBobExchanges = () => readExchanges('s2s-via-8112-to-bob');
const mediaType = (value: string | null | undefined) => (value ?? '').split(';')[0]?.trim().toLowerCase();
const exchange = (list: Exchange[], prefix: string): Exchange => {
  const found = list.find((e) => e.file.startsWith(prefix));
  if (!found) throw new Error(`capture ${prefix} missing`);
  return found;
};

/** Text substitutions that turn a captured request into the same request for our instances. */
type Substitutions = [string, string][];
const substitute = (text: string, subs: Substitutions) =>
  subs.reduce((out, [from, to]) => out.split(from).join(to), text);

/** Sends a captured request to a companion: same method, path, Depth/Content-Type/OCS headers and body, ids rewritten. */
async function replay(
  node: TestNode,
  ex: Exchange,
  subs: Substitutions,
  passwords: Record<string, string>,
): Promise<{ status: number; contentType: string; body: string }> {
  const headers: Record<string, string> = {};
  for (const name of ['depth', 'content-type', 'ocs-apirequest', 'accept', 'user-agent']) {
    const value = ex.request.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  const credentials = decodeBasic(ex.request.headers.authorization);
  if (credentials) {
    const user = substitute(credentials[0], subs);
    headers.authorization = basic(user, passwords[user] ?? credentials[1]);
  }
  const response = await call(node.url + substitute(ex.request.target, subs), ex.request.method, {
    headers,
    body: ex.request.body === '' ? undefined : substitute(ex.request.body, subs),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

/** Properties whose values do not depend on the instance (sizes, types, permissions); etags, dates and ids do. */
const STABLE_PROPS = [
  'd:getcontentlength',
  'd:getcontenttype',
  'd:resourcetype',
  'd:quota-used-bytes',
  'd:quota-available-bytes',
  'oc:permissions',
  'ocs:share-permissions',
];

function expectSameValues(ours: DavResponse[], captured: DavResponse[], file: string): void {
  for (const want of captured) {
    const got = ours.find((r) => r.href === want.href);
    const ok = got?.propstats.find((p) => p.status === 200)?.props;
    for (const [name, value] of want.propstats.find((p) => p.status === 200)?.props ?? []) {
      if (STABLE_PROPS.includes(name)) expect(ok?.get(name), `${file} ${want.href} ${name}`).toBe(value);
      if (name === 'd:getlastmodified') expect(ok?.get(name), `${file} ${want.href} getlastmodified`).toMatch(RFC1123);
      if (name === 'd:getetag') expect(ok?.get(name), `${file} ${want.href} getetag`).toMatch(/^"[^"]+"$/);
    }
  }
}

/**
 * Compares a companion PROPFIND answer with ownCloud's. For an explicit property list the structure must be identical:
 * same hrefs in the same order, same properties in the 200 and 404 propstats. For allprop (ownCloud's receiver sends
 * an empty <d:prop/>, which Sabre treats as allprop) the companion answers with its full set: the DAV: properties
 * must be exactly ownCloud's, and the only additions are oc:/ocs: properties (documented in docs/server.md).
 */
function expectSameMultistatus(oursXml: string, capturedXml: string, requestBody: string, file: string): void {
  const ours = parseMultistatus(oursXml);
  const captured = parseMultistatus(capturedXml);
  expect(
    ours.map((r) => r.href),
    `${file} hrefs`,
  ).toEqual(captured.map((r) => r.href));
  if (propfindNames(requestBody).length > 0) {
    expect(davStructure(ours), `${file} structure`).toEqual(davStructure(captured));
  } else {
    const davOnly = (s: Record<string, Record<number, string[]>>) =>
      Object.fromEntries(
        Object.entries(s).map(([href, byStatus]) => [
          href,
          Object.fromEntries(
            Object.entries(byStatus).map(([status, names]) => [status, names.filter((n) => n.startsWith('d:'))]),
          ),
        ]),
      );
    expect(davOnly(davStructure(ours)), `${file} DAV: structure`).toEqual(davOnly(davStructure(captured)));
    for (const r of ours)
      for (const ps of r.propstats) for (const name of ps.props.keys()) expect(name, file).toMatch(/^(d|oc|ocs):/);
  }
  expectSameValues(ours, captured, file);
}

/** Compares a companion JSON answer with ownCloud's for the discovery and OCS endpoints of the captures. */
function expectSameJson(path: string, ours: unknown, captured: unknown, hosts: Substitutions, file: string): void {
  if (path === '/status.php') {
    // productname/product name the companion on purpose, and companionVersion is its own release (docs/server.md
    // "Identity"); everything else is ownCloud's.
    const { companionVersion, ...ownCloudFields } = ours as Json;
    expect(companionVersion, file).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(ownCloudFields).sort(), file).toEqual(Object.keys(captured as Json).sort());
    expect({ ...ownCloudFields, productname: 'x', product: 'x' }, file).toEqual({
      ...(captured as Json),
      productname: 'x',
      product: 'x',
    });
  } else if (path === '/ocs-provider/') {
    // ownCloud also lists PRIVATE_DATA, ACTIVITY and PROVISIONING, which the companion does not implement and so does
    // not advertise. The services it lists are ownCloud's, with the same endpoints.
    const o = ours as { version: number; services: Record<string, unknown> };
    const c = captured as { version: number; services: Record<string, unknown> };
    expect(o.version, file).toBe(c.version);
    expect(Object.keys(o.services).sort(), file).toEqual(['FEDERATED_SHARING', 'SHARING']);
    for (const [name, service] of Object.entries(o.services))
      expect(service, `${file} ${name}`).toEqual(c.services[name]);
  } else if (path === '/ocm-provider/') {
    // Same fields and values (endPoint on our host); the companion adds the OCM 1.1 fields provider, resourceTypes and
    // capabilities, which ownCloud ignores.
    const c = JSON.parse(substitute(JSON.stringify(captured), hosts)) as Json;
    expect(ours, file).toMatchObject(c);
  } else if (path.startsWith('/ocs/')) {
    const o = ours as { ocs: { meta: unknown; data: unknown } };
    const c = captured as { ocs: { meta: unknown; data: unknown } };
    expect(o.ocs.meta, file).toEqual(c.ocs.meta);
    if (Array.isArray(c.ocs.data)) expect(o.ocs.data, file).toEqual(c.ocs.data);
    else expect(Object.keys(o.ocs.data as Json), file).toEqual(expect.arrayContaining(Object.keys(c.ocs.data as Json)));
  } else {
    expect(ours, file).toEqual(captured);
  }
}

describe('ownCloud 10 captures: interop in both directions', () => {
  let alice: TestNode;
  let bob: TestNode;
  // An "ownCloud 10" receiver for the companion's outgoing federated share (answers from s2s-via-8112-to-bob).
  let ocBob: FakeOwnCloud;
  // An "ownCloud 10" sharer whose public link and federated share the companion mounts (answers from
  // s2s-via-8111-to-alice).
  let ocAlice: FakeOwnCloud;

  beforeAll(async () => {
    const aliceExchanges = toAliceExchanges();
    [alice, bob, ocBob, ocAlice] = await Promise.all([
      startNode({ users: [{ name: 'alice', password: 'alice-pw', displayName: 'Alice' }], files: { alice: FILES } }),
      startNode({
        users: [{ name: 'bob', password: 'bob-pw', displayName: 'Bob' }],
        args: ['--remote-timeout', '3000'],
      }),
      fakeOwnCloud(toBobExchanges(), CAPTURED_BOB),
      // The capture has PROPFINDs but no GET of a file; the content of hello.txt is the one the README documents.
      fakeOwnCloud(aliceExchanges, CAPTURED_ALICE, (req) =>
        req.method === 'GET' &&
        req.path === '/public.php/webdav/hello.txt' &&
        req.headers.authorization === exchange(aliceExchanges, '008').request.headers.authorization
          ? { status: 200, headers: { 'content-type': 'text/plain' }, body: FILES['Shared Folder/hello.txt'] }
          : undefined,
      ),
    ]);
  });
  afterAll(async () => {
    await Promise.all([alice?.stop(), bob?.stop(), ocBob?.close(), ocAlice?.close()]);
  });

  it('reads the captures (parser self-check on 004: request, response and multistatus)', () => {
    const ex = exchange(toAliceExchanges(), '004');
    expect(ex.request).toMatchObject({
      method: 'PROPFIND',
      path: '/public.php/webdav/',
      headers: { depth: '0', 'content-type': 'application/xml' },
    });
    expect(decodeBasic(ex.request.headers.authorization)).toEqual([CAPTURED_LINK, '']);
    expect(propfindNames(ex.request.body)).toEqual([
      'd:getlastmodified',
      'd:getcontentlength',
      'd:getcontenttype',
      'oc:permissions',
      'ocs:share-permissions',
      'd:resourcetype',
      'd:getetag',
    ]);
    expect(ex.response.status).toBe(207);
    expect(davStructure(parseMultistatus(ex.response.body))).toEqual({
      '/public.php/webdav/': {
        200: ['d:getetag', 'd:getlastmodified', 'd:resourcetype', 'oc:permissions', 'ocs:share-permissions'],
        404: ['d:getcontentlength', 'd:getcontenttype'],
      },
    });
    expect(JSON.parse(exchange(toBobExchanges(), '002').request.body)).toMatchObject({
      shareWith: `bob@${CAPTURED_BOB}`,
      providerId: CAPTURED_SHARE_ID,
    });
  });

  it('selects PROPFIND properties like Sabre for any namespace spelling, and keeps allprop complete', async () => {
    const dav = `${alice.url}/remote.php/dav/files/alice/Shared%20Folder/`;
    const body =
      '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getcontentlength/><resourcetype/><size xmlns="http://owncloud.org/ns"/><nope xmlns="urn:x"/></prop></propfind>';
    const selected = parseMultistatus(
      await (await call(dav, 'PROPFIND', { auth: ALICE, headers: { Depth: '1' }, body })).text(),
    );
    expect(davStructure(selected)['/remote.php/dav/files/alice/Shared Folder/']).toEqual({
      200: ['d:resourcetype', 'oc:size'],
      404: ['d:getcontentlength', 'urn:x:nope'],
    });
    expect(davStructure(selected)['/remote.php/dav/files/alice/Shared Folder/hello.txt']).toEqual({
      200: ['d:getcontentlength', 'd:resourcetype', 'oc:size'],
      404: ['urn:x:nope'],
    });
    expect(selected.find((r) => r.href.endsWith('/sub/'))?.propstats[0]?.props.get('oc:size')).toBe('9');
    // A property without a namespace comes back in the 404 propstat as well-formed XML.
    const bare = await (
      await call(dav, 'PROPFIND', {
        auth: ALICE,
        headers: { Depth: '0' },
        body: '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><plain/></d:prop></d:propfind>',
      })
    ).text();
    expect(bare).toContain(
      '<d:propstat><d:prop><plain xmlns=""/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>',
    );
    expect(XMLValidator.validate(bare)).toBe(true);
    for (const all of [
      undefined,
      '<d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>',
      '<d:propfind xmlns:d="DAV:"><d:prop/></d:propfind>',
    ]) {
      const root = parseMultistatus(
        await (await call(dav, 'PROPFIND', { auth: ALICE, headers: { Depth: '0' }, body: all })).text(),
      )[0];
      expect(root?.propstats.map((p) => p.status)).toEqual([200]);
      expect([...(root?.propstats[0]?.props.keys() ?? [])]).toEqual(
        expect.arrayContaining(['d:getetag', 'oc:fileid', 'oc:permissions', 'd:quota-used-bytes']),
      );
      expect(root?.propstats[0]?.props.get('d:quota-used-bytes')).toBe('43');
    }
  });

  it('A: answers an ownCloud receiver (s2s-via-8111-to-alice replayed) like ownCloud, and shares out like ownCloud', async () => {
    const exchanges = toAliceExchanges();
    expect(exchanges).toHaveLength(28);
    const aliceHost = alice.url.replace('http://', '');
    // The equivalent of alice's setup in the capture: a read-only link on "Shared Folder" (the token differs).
    const link = await ocs(alice.url + SHARES, 'POST', {
      auth: ALICE,
      form: { path: '/Shared Folder', shareType: '3', permissions: '1' },
    });
    const linkToken = (link.body.ocs.data as { token: string }).token;
    let shareId = '';
    let secret = '';
    const subs = (): Substitutions => [
      [CAPTURED_LINK, linkToken],
      [CAPTURED_SECRET, secret],
      [`"providerId":"${CAPTURED_SHARE_ID}"`, `"providerId":"${shareId}"`],
      [`/shares/${CAPTURED_SHARE_ID}?`, `/shares/${shareId}?`],
      [CAPTURED_BOB, ocBob.host],
      [CAPTURED_ALICE, aliceHost],
    ];
    // Nothing is skipped: the only instance-specific parts are the link token, the federated share's id (OCM
    // providerId, /shares/8) and its shared secret, all substituted by ours; bob's address becomes the fake receiver.
    for (const ex of exchanges) {
      const got = await replay(alice, ex, subs(), { alice: ALICE[1] });
      const file = ex.file;
      expect(got.status, file).toBe(ex.response.status);
      expect(mediaType(got.contentType), file).toBe(mediaType(ex.response.headers['content-type']));
      if (ex.request.method === 'PROPFIND') {
        expectSameMultistatus(got.body, ex.response.body, ex.request.body, file);
      } else {
        expectSameJson(
          ex.request.path,
          JSON.parse(got.body),
          JSON.parse(ex.response.body),
          [[CAPTURED_ALICE, aliceHost]],
          file,
        );
      }
      if (ex.file.startsWith('014')) {
        // The federated share went out to the "ownCloud" receiver; its id and secret are what 015-028 use.
        const data = JSON.parse(got.body) as { ocs: { data: Json } };
        const captured = JSON.parse(ex.response.body) as { ocs: { data: Json } };
        for (const key of [
          'share_type',
          'uid_owner',
          'displayname_owner',
          'permissions',
          'parent',
          'expiration',
          'uid_file_owner',
          'displayname_file_owner',
          'path',
          'mimetype',
          'item_type',
          'mail_send',
          'attributes',
          'storage_id',
          'file_target',
        ]) {
          expect(data.ocs.data[key], `014 ${key}`).toEqual(captured.ocs.data[key]);
        }
        expect(data.ocs.data.share_with).toBe(`bob@${ocBob.host}`);
        shareId = String(data.ocs.data.id);
        const sent = ocBob.received.find((r) => r.path === '/index.php/apps/federatedfilesharing/shares');
        secret = String(
          (JSON.parse(sent?.body ?? '{}') as { protocol?: { options?: { sharedSecret?: string } } }).protocol?.options
            ?.sharedSecret,
        );
        expect(secret).toMatch(/^[A-Za-z0-9]{15}$/);
        // Like ownCloud, the owner sees the shared secret as the share's token.
        expect(data.ocs.data.token).toBe(secret);
      }
    }

    // What the companion sent to the ownCloud receiver: the same sequence and bodies as ownCloud's sharer (8112
    // captures).
    const toBob = toBobExchanges();
    // (https is tried first for a scheme-less cloud id; the fake only speaks http, so those attempts never reach it.)
    const relevant = ocBob.received;
    expect(relevant.map((r) => `${r.method} ${r.path}`)).toEqual(
      toBob.map((e) => `${e.request.method} ${e.request.path}`),
    );
    const ourShare = JSON.parse(relevant[1]?.body ?? '{}') as Json;
    const theirShare = JSON.parse(exchange(toBob, '002').request.body) as Json;
    expect(mediaType(relevant[1]?.headers['content-type'])).toBe('application/json');
    expect(Object.keys(ourShare)).toEqual(expect.arrayContaining(Object.keys(theirShare)));
    expect(ourShare).toMatchObject({
      ...theirShare,
      shareWith: `bob@${ocBob.host}`,
      providerId: shareId,
      owner: `alice@${alice.url}`,
      sender: `alice@${alice.url}`,
      // ownCloud puts the uid into the display name fields; the companion sends the display name (docs/server.md).
      ownerDisplayName: 'Alice',
      senderDisplayName: 'Alice',
      protocol: { name: 'webdav', options: { sharedSecret: secret } },
    });
    expect(JSON.parse(relevant[3]?.body ?? '{}')).toEqual(
      JSON.parse(substitute(exchange(toBob, '004').request.body, subs())),
    );
    expect(alice.logs()).not.toContain(secret);
  });

  it('B: takes an OCM share from an ownCloud sharer (s2s-via-8112-to-bob replayed) like ownCloud', async () => {
    const exchanges = toBobExchanges();
    expect(exchanges).toHaveLength(4);
    const bobHost = bob.url.replace('http://', '');
    // The sharer is the fake ownCloud alice: bob asks its /ocm-provider/ (the captured one, without a key) before it
    // takes an unsigned share in its name.
    const aliceHost = ocAlice.url.replace('http://', '');
    const subs: Substitutions = [
      [`bob@${CAPTURED_BOB}`, `bob@${bobHost}`],
      [CAPTURED_ALICE, aliceHost],
    ];
    const pending = async () => (await ocs(`${bob.url}${REMOTE_SHARES}/pending`, 'GET', { auth: BOB })).body;
    for (const ex of exchanges) {
      const got = await replay(bob, ex, subs, {});
      expect(got.status, ex.file).toBe(ex.response.status);
      expect(mediaType(got.contentType), ex.file).toBe(mediaType(ex.response.headers['content-type']));
      expectSameJson(
        ex.request.path,
        JSON.parse(got.body),
        JSON.parse(ex.response.body),
        [[CAPTURED_BOB, bobHost]],
        ex.file,
      );
      if (ex.file.startsWith('002')) {
        expect(got.body).toBe('[]');
        // ownCloud's bob listed it like this (proxied-fedshare-pending-json); only the local id differs.
        const theirs = (
          JSON.parse(substitute(readResponse('proxied-fedshare-pending-json').body, [[CAPTURED_ALICE, aliceHost]])) as {
            ocs: { meta: unknown; data: Json[] };
          }
        ).ocs;
        const ours = await pending();
        expect(ours.ocs.meta).toEqual(theirs.meta);
        const items = ours.ocs.data as Json[];
        expect(items).toHaveLength(1);
        expect(Object.keys(items[0] ?? {}).sort()).toEqual(Object.keys(theirs.data[0] ?? {}).sort());
        expect({ ...items[0], id: 'x' }).toEqual({ ...theirs.data[0], id: 'x' });
      }
      if (ex.file.startsWith('004')) {
        expect(got.body).toBe('[]');
        expect((await pending()).ocs.data).toEqual([]);
      }
    }
  });

  it('C: mounts an ownCloud public link with the same requests as an ownCloud receiver', async () => {
    const captured = toAliceExchanges();
    ocAlice.received.length = 0;
    const mounted = await call(`${bob.url}/index.php/apps/files_sharing/external`, 'POST', {
      auth: BOB,
      form: {
        remote: ocAlice.url,
        token: CAPTURED_LINK,
        owner: 'alice',
        ownerDisplayName: 'Alice',
        name: 'Shared Folder',
        password: '',
      },
    });
    expect(mounted.status).toBe(200);
    expect(await mounted.text()).toBe('');
    // ownCloud's receiver: status.php, ocs-provider/, ocm-provider/, then PROPFIND depth 0 with token: (001-004).
    const probe = captured.slice(0, 4).map((e) => e.request);
    expect(ocAlice.received.map((r) => `${r.method} ${r.path}`)).toEqual(probe.map((r) => `${r.method} ${r.path}`));
    const propfind = ocAlice.received[3];
    expect(propfind?.headers.authorization).toBe(probe[3]?.headers.authorization);
    expect(decodeBasic(propfind?.headers.authorization)).toEqual([CAPTURED_LINK, '']);
    expect(propfind?.headers.depth).toBe(probe[3]?.headers.depth);
    expect(mediaType(propfind?.headers['content-type'])).toBe(probe[3]?.headers['content-type']);
    // The companion asks for the DAV: properties ownCloud asks for (it has no use for oc:permissions and
    // ocs:share-permissions because its mounts are read-only anyway); resourcetype decides file or folder.
    const ourProps = propfindNames(propfind?.body ?? '');
    expect(ourProps).toContain('d:resourcetype');
    expect(propfindNames(probe[3]?.body ?? '')).toEqual(expect.arrayContaining(ourProps));

    // Listing: ownCloud lists with PROPFIND depth 1 on the link root (007); so does the companion.
    ocAlice.received.length = 0;
    const listing = await call(`${bob.url}/remote.php/dav/files/bob/Shared%20Folder/`, 'PROPFIND', {
      auth: BOB,
      headers: { Depth: '1' },
    });
    expect(listing.status).toBe(207);
    expect(hrefs(await listing.text())).toEqual([
      '/remote.php/dav/files/bob/Shared Folder/',
      '/remote.php/dav/files/bob/Shared Folder/hello.txt',
      '/remote.php/dav/files/bob/Shared Folder/notes.md',
      '/remote.php/dav/files/bob/Shared Folder/sub/',
    ]);
    const list = exchange(captured, '007').request;
    expect(ocAlice.received.map((r) => [r.method, r.path, r.headers.depth, r.headers.authorization])).toEqual([
      [list.method, list.path, list.headers.depth, list.headers.authorization],
    ]);

    // Reading a file: a depth-0 PROPFIND on it (as ownCloud's 008), then the GET.
    ocAlice.received.length = 0;
    const read = await call(`${bob.url}/remote.php/dav/files/bob/Shared%20Folder/hello.txt`, 'GET', { auth: BOB });
    expect(await read.text()).toBe(FILES['Shared Folder/hello.txt']);
    const stat = exchange(captured, '008').request;
    expect(ocAlice.received.map((r) => [r.method, r.path, r.headers.depth])).toEqual([
      [stat.method, stat.path, stat.headers.depth],
      ['GET', '/public.php/webdav/hello.txt', undefined],
    ]);
    expect(ocAlice.received.every((r) => r.headers.authorization === stat.headers.authorization)).toBe(true);
    expect((await ocs(bob.url + REMOTE_SHARES, 'GET', { auth: BOB })).body.ocs.data).toEqual([
      expect.objectContaining({
        remote: ocAlice.url,
        remote_id: '-1',
        share_token: CAPTURED_LINK,
        name: '/Shared Folder',
        owner: 'Alice',
        mountpoint: '/Shared Folder',
        accepted: '1',
        type: 'dir',
      }),
    ]);
  });

  it('C: accepts an OCM share from an ownCloud sharer with the same requests as an ownCloud receiver', async () => {
    const captured = toAliceExchanges();
    const offer = exchange(toBobExchanges(), '002').request;
    // The captured share, addressed to our bob and coming from the fake ownCloud alice.
    const body = substitute(offer.body, [
      [`bob@${CAPTURED_BOB}`, `bob@${bob.url.replace('http://', '')}`],
      [CAPTURED_ALICE, ocAlice.host],
    ]);
    const created = await call(`${bob.url}${offer.path}`, 'POST', {
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    expect(created.status).toBe(201);
    const open = (await ocs(`${bob.url}${REMOTE_SHARES}/pending`, 'GET', { auth: BOB })).body.ocs.data as {
      id: string;
      remote: string;
    }[];
    expect(open).toEqual([
      expect.objectContaining({ remote: ocAlice.url, remote_id: CAPTURED_SHARE_ID, share_token: CAPTURED_SECRET }),
    ]);

    ocAlice.received.length = 0;
    const accepted = await ocs(`${bob.url}${REMOTE_SHARES}/pending/${open[0]?.id}`, 'POST', { auth: BOB });
    // ownCloud answered "/Shared Folder (2)" because its bob had mounted the link under that name before; ours has the
    // link mount from the previous test too, so the same rename happens.
    expect(accepted.body).toEqual(JSON.parse(readResponse('proxied-fedshare-accept-json').body));
    // ownCloud's receiver on accept (015-018): OCM discovery, PROPFIND depth 0 as secret:, discovery, SHARE_ACCEPTED.
    const expected = captured.filter((e) => /^01[5-8]/.test(e.file)).map((e) => e.request);
    expect(ocAlice.received.map((r) => `${r.method} ${r.path}`)).toEqual(expected.map((r) => `${r.method} ${r.path}`));
    expect(ocAlice.received[1]?.headers.authorization).toBe(expected[1]?.headers.authorization);
    expect(ocAlice.received[1]?.headers.depth).toBe(expected[1]?.headers.depth);
    expect(mediaType(ocAlice.received[3]?.headers['content-type'])).toBe(expected[3]?.headers['content-type']);
    expect(JSON.parse(ocAlice.received[3]?.body ?? '{}')).toEqual(JSON.parse(expected[3]?.body ?? ''));

    // Reading the accepted share goes to the same WebDAV with the same credentials as ownCloud's 019-027.
    ocAlice.received.length = 0;
    const listing = await call(`${bob.url}/remote.php/dav/files/bob/Shared%20Folder%20(2)/`, 'PROPFIND', {
      auth: BOB,
      headers: { Depth: '1' },
    });
    expect(listing.status).toBe(207);
    expect(hrefs(await listing.text())).toContain('/remote.php/dav/files/bob/Shared Folder (2)/sub/');
    const list = exchange(captured, '021').request;
    expect(ocAlice.received.map((r) => [r.method, r.path, r.headers.depth, r.headers.authorization])).toEqual([
      [list.method, list.path, list.headers.depth, list.headers.authorization],
    ]);
  });

  it('answers the direct OCM, legacy and external error cases with the captured status and body', async () => {
    const ocm = `${bob.url}/index.php/apps/federatedfilesharing`;
    const valid = JSON.parse(
      substitute(exchange(toBobExchanges(), '002').request.body, [
        [`bob@${CAPTURED_BOB}`, `bob@${bob.url.replace('http://', '')}`],
        [CAPTURED_ALICE, ocAlice.url.replace('http://', '')],
      ]),
    ) as Json;
    const cases: [
      string,
      string,
      string,
      { json?: unknown; form?: Record<string, string>; auth?: [string, string] },
    ][] = [
      ['ocm-shares-missing', 'POST', `${ocm}/shares`, { json: {} }],
      [
        'ocm-shares-bad-protocol',
        'POST',
        `${ocm}/shares`,
        { json: { ...valid, protocol: { name: 'ftp', options: {} } } },
      ],
      ['ocm-shares-bad-name', 'POST', `${ocm}/shares`, { json: { ...valid, name: '/Bad' } }],
      ['ocm-notification-bad', 'POST', `${ocm}/notifications`, { json: {} }],
      [
        'ocm-notification-unknown',
        'POST',
        `${ocm}/notifications`,
        {
          json: {
            notificationType: 'SHARE_ACCEPTED',
            resourceType: 'file',
            providerId: '99999',
            notification: { sharedSecret: 'nope', message: 'x' },
          },
        },
      ],
      ['cloud-shares-missing-params', 'POST', `${bob.url}/ocs/v2.php/cloud/shares?format=json`, { form: {} }],
      [
        'cloud-shares-accept-bogus',
        'POST',
        `${bob.url}/ocs/v2.php/cloud/shares/999/accept?format=json`,
        { form: { token: 'bogus' } },
      ],
      [
        'external-add-no-login',
        'POST',
        `${bob.url}/index.php/apps/files_sharing/external`,
        { form: { remote: ocAlice.url, token: CAPTURED_LINK, name: 'x' } },
      ],
      [
        'external-add-bad-name',
        'POST',
        `${bob.url}/index.php/apps/files_sharing/external`,
        { auth: BOB, form: { remote: ocAlice.url, token: CAPTURED_LINK, name: 'a/b' } },
      ],
      [
        'external-add-bad-token',
        'POST',
        `${bob.url}/index.php/apps/files_sharing/external`,
        { auth: BOB, form: { remote: ocAlice.url, token: 'bogusToken12345', name: 'x' } },
      ],
      [
        'external-add-pw-wrong',
        'POST',
        `${bob.url}/index.php/apps/files_sharing/external`,
        { auth: BOB, form: { remote: ocAlice.url, token: CAPTURED_LINK, name: 'x', password: 'wrong' } },
      ],
      [
        'external-add-unreachable',
        'POST',
        `${bob.url}/index.php/apps/files_sharing/external`,
        { auth: BOB, form: { remote: 'http://127.0.0.1:9', token: CAPTURED_LINK, name: 'x' } },
      ],
    ];
    for (const [name, method, url, options] of cases) {
      const want = readResponse(name);
      const response = await call(url, method, {
        ...options,
        headers: name.startsWith('cloud-') ? { 'OCS-APIRequest': 'true' } : {},
      });
      expect(response.status, name).toBe(want.status);
      expect(mediaType(response.headers.get('content-type')), name).toBe(mediaType(want.headers['content-type']));
      expect(JSON.parse(await response.text()), name).toEqual(JSON.parse(want.body));
    }
  });

  it("answers shares for unknown users like the captured success, not like ownCloud's 400 (no account enumeration)", async () => {
    // Deliberate difference (docs/server.md): ownCloud answers these with 400 "User … does not exist" (recorded:
    // ocm-shares-unknown-user, cloud-shares-unknown-user), which tells anyone which accounts exist.
    const ownCloudOcm = readResponse('ocm-shares-unknown-user');
    const ownCloudLegacy = readResponse('cloud-shares-unknown-user');
    const ocm = `${bob.url}/index.php/apps/federatedfilesharing`;
    const valid = JSON.parse(
      substitute(exchange(toBobExchanges(), '002').request.body, [
        [`bob@${CAPTURED_BOB}`, `bob@${bob.url.replace('http://', '')}`],
        [CAPTURED_ALICE, ocAlice.url.replace('http://', '')],
      ]),
    ) as Json;
    const created = readResponse('ocm-shares-created');
    const unknown = await call(`${ocm}/shares`, 'POST', { json: { ...valid, shareWith: 'nobody@127.0.0.1' } });
    expect(unknown.status).toBe(created.status);
    expect(unknown.status).not.toBe(ownCloudOcm.status);
    expect(JSON.parse(await unknown.text())).toEqual(JSON.parse(created.body));
    const legacy = await call(`${bob.url}/ocs/v2.php/cloud/shares?format=json`, 'POST', {
      form: { remote: ocAlice.url, token: 't', name: 'n', owner: 'alice', remoteId: '1', shareWith: 'nobody' },
    });
    expect(legacy.status).toBe(200);
    expect(legacy.status).not.toBe(ownCloudLegacy.status);
    expect(await legacy.json()).toEqual({
      ocs: { meta: { status: 'ok', statuscode: 200, message: null, totalitems: '', itemsperpage: '' }, data: [] },
    });
  });
});
