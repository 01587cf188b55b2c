import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startNode, type TestNode } from './helpers/node';
import { call, ocs } from './helpers/http';

// Issue 8, finding 11: a per-user quota. Uploads over it get 507 Insufficient Storage (like ownCloud), anonymous
// uploads into a file drop count against the link's owner, and nothing half-written stays behind.

let node: TestNode;
const ALICE: [string, string] = ['alice', 'alice-pass-1'];
const DAV = '/remote.php/webdav';
const put = (name: string, bytes: number, auth: [string, string] = ALICE) =>
  call(`${node.url}${DAV}/${name}`, 'PUT', { auth, body: 'x'.repeat(bytes), headers: { 'OCS-APIRequest': 'true' } });

beforeAll(async () => {
  node = await startNode({
    users: [{ name: 'alice', password: 'alice-pass-1' }],
    files: { alice: { 'Drop/': '' } },
    args: ['--user-quota', '1000'],
  });
});
afterAll(async () => node.stop());

describe('user quota', () => {
  it('refuses an upload that does not fit with 507 and keeps the ones that do', async () => {
    expect((await put('a.bin', 600)).status).toBe(201);
    const refused = await put('b.bin', 600);
    expect(refused.status).toBe(507);
    expect(await refused.text()).toContain('Sabre\\DAV\\Exception\\InsufficientStorage');
    expect(existsSync(path.join(node.filesOf('alice'), 'b.bin'))).toBe(false);
    // Replacing a file only needs room for the difference.
    expect((await put('a.bin', 900)).status).toBe(204);
    expect((await put('c.bin', 200)).status).toBe(507);
  });

  it('counts anonymous file-drop uploads against the link owner', async () => {
    const created = await ocs(`${node.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
      auth: ALICE,
      form: { path: '/Drop', shareType: '3', permissions: '4' },
    });
    const token = (created.body.ocs.data as { token: string }).token;
    const drop = await call(`${node.url}/public.php/webdav/dropped.bin`, 'PUT', {
      auth: [token, ''],
      body: 'y'.repeat(300),
      headers: { 'OCS-APIRequest': 'true' },
    });
    expect(drop.status).toBe(507);
    expect(existsSync(path.join(node.filesOf('alice'), 'Drop', 'dropped.bin'))).toBe(false);
  });

  it('frees the space of deleted files at once, and reports the quota in the user API', async () => {
    expect(
      (await call(`${node.url}${DAV}/a.bin`, 'DELETE', { auth: ALICE, headers: { 'OCS-APIRequest': 'true' } })).status,
    ).toBe(204);
    expect((await put('d.bin', 700)).status).toBe(201);
    const user = await ocs(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { auth: ALICE });
    expect((user.body.ocs.data as { quota: unknown }).quota).toMatchObject({ used: 700, total: 1000, free: 300 });
  });

  // Last: the refused stream leaves its connection half-used, which a following request could trip over.
  it('stops a streamed upload without a length once it passes the quota, and leaves no temp file', async () => {
    const chunk = new Uint8Array(100).fill(120);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 50)
          controller.enqueue(chunk); // 5,000 bytes in all
        else controller.close();
      },
    });
    const outcome = await fetch(`${node.url}${DAV}/streamed.bin`, {
      method: 'PUT',
      body,
      duplex: 'half',
      headers: { Authorization: `Basic ${Buffer.from(ALICE.join(':')).toString('base64')}`, 'OCS-APIRequest': 'true' },
    } as RequestInit).then(
      (response) => response.status,
      () => 'connection closed',
    );
    expect([507, 'connection closed']).toContain(outcome);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      readdirSync(node.filesOf('alice')).filter((name) => name.startsWith('.upload-') || name === 'streamed.bin'),
    ).toEqual([]);
    const uploads = path.join(node.dataDir, 'uploads'); // where uploads are written before the rename (uploads/NODE/alice)
    const tempFiles = existsSync(uploads)
      ? readdirSync(uploads, { recursive: true }).filter((name) => String(name).includes('.upload-'))
      : [];
    expect(tempFiles).toEqual([]);
  });
});
