import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startCluster, type TestCluster } from './helpers/cluster';
import { basic, call, CookieJar, requestTokenOf } from './helpers/http';

// The nodes of a cluster are one server to the world (issue 11): whichever node answers, a client sees the same ids,
// etags, signing key and session, and what one node writes the other serves at once. Each request here goes straight
// to a chosen node, not through the balancer.

const BOB: [string, string] = ['bob', 'bob-pw'];
let cluster: TestCluster;
const nodeUrl = (i: number) => `http://127.0.0.1:${cluster.nodes[i]?.port}`;

beforeAll(async () => {
  cluster = await startCluster({
    users: [{ name: 'bob', password: 'bob-pw' }],
    files: { bob: { 'Docs/a.txt': 'a', 'Docs/b.txt': 'bb' } },
  });
});
afterAll(async () => cluster?.stop());

describe('two nodes, one server', () => {
  it('list a folder identically (oc:id with the instance id, file ids, etags)', async () => {
    const [one, two] = await Promise.all(
      [0, 1].map(async (i) =>
        (
          await call(`${nodeUrl(i)}/remote.php/dav/files/bob/Docs/`, 'PROPFIND', { auth: BOB, headers: { Depth: '1' } })
        ).text(),
      ),
    );
    expect(one).toContain('<oc:id>');
    expect(one).toContain('<d:getetag>');
    expect(two).toBe(one);
  });

  it('sign with one key and describe themselves alike', async () => {
    const providers = await Promise.all([0, 1].map(async (i) => (await call(`${nodeUrl(i)}/ocm-provider`)).json()));
    expect((providers[0] as { publicKey?: { publicKeyPem?: string } }).publicKey?.publicKeyPem).toContain(
      'BEGIN PUBLIC KEY',
    );
    expect(providers[1]).toEqual(providers[0]);
    const statuses = await Promise.all([0, 1].map(async (i) => (await call(`${nodeUrl(i)}/status.php`)).json()));
    expect(statuses[1]).toEqual(statuses[0]);
  });

  it('share a login: a session made on one node is logged in on the other', async () => {
    const jar = new CookieJar();
    const token = requestTokenOf(await (await call(`${nodeUrl(0)}/index.php/login`, 'GET', { jar })).text());
    const login = await call(`${nodeUrl(0)}/index.php/login`, 'POST', {
      jar,
      form: { user: 'bob', password: 'bob-pw', requesttoken: token },
    });
    expect(login.status).toBe(303);
    const files = await call(`${nodeUrl(1)}/index.php/apps/files/`, 'GET', { jar });
    expect(files.status).toBe(200);
    expect(await files.text()).toContain('data-file="Docs"');
  });

  it('serve at once what the other wrote', async () => {
    expect(
      (await call(`${nodeUrl(0)}/remote.php/dav/files/bob/Docs/new.txt`, 'PUT', { auth: BOB, body: 'written on one' }))
        .status,
    ).toBe(201);
    expect(await (await call(`${nodeUrl(1)}/remote.php/dav/files/bob/Docs/new.txt`, 'GET', { auth: BOB })).text()).toBe(
      'written on one',
    );
  });

  it("leave each other's uploads alone: an upload on one node survives the other node restarting, and is invisible until done", async () => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    let answer: (status: number) => void = () => undefined;
    const done = new Promise<number>((resolve) => (answer = resolve));
    const request = http.request(
      `${nodeUrl(0)}/remote.php/dav/files/bob/Docs/slow.bin`,
      {
        method: 'PUT',
        headers: { Authorization: basic(...BOB), 'OCS-APIRequest': 'true', 'Transfer-Encoding': 'chunked' },
      },
      (response) => {
        response.resume();
        answer(response.statusCode ?? 0);
      },
    );
    request.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The other node restarts (its start-up removes what is left in its own upload area) while this upload is open.
    await cluster.nodes[1]?.stop();
    await cluster.nodes[1]?.restart();
    const listing = await (
      await call(`${nodeUrl(1)}/remote.php/dav/files/bob/Docs/`, 'PROPFIND', { auth: BOB, headers: { Depth: '1' } })
    ).text();
    expect(listing).not.toContain('slow.bin');
    expect(listing).not.toContain('.upload-');
    request.end(chunk);
    expect(await done).toBe(201);
    expect(readFileSync(path.join(cluster.filesOf('bob'), 'Docs', 'slow.bin'))).toEqual(Buffer.concat([chunk, chunk]));
    expect(
      (await call(`${nodeUrl(1)}/remote.php/dav/files/bob/Docs/slow.bin`, 'GET', { auth: BOB })).headers.get(
        'content-length',
      ),
    ).toBe(String(2 * chunk.length));
  });
});
