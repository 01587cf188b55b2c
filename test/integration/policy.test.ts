import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from './helpers/node';
import { call, CookieJar, ocs, requestTokenOf } from './helpers/http';

// A node with a strict link policy and outgoing federation switched off.
let node: TestNode;
const ALICE: [string, string] = ['alice', 'alice-pw'];
const SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/shares';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  node = await startNode({
    users: [{ name: 'alice', password: 'alice-pw' }],
    files: { alice: { 'doc.txt': 'doc' } },
    args: ['--enforce-link-password', '--link-expire-days', '7', '--enforce-link-expiry', '--no-federation-outgoing'],
  });
});
afterAll(async () => node?.stop());

describe('link policy from the config', () => {
  it('advertises the policy in the capabilities', async () => {
    const { body } = await ocs(`${node.url}/ocs/v2.php/cloud/capabilities`, 'GET', { auth: ALICE });
    const sharing = (body.ocs.data as { capabilities: { files_sharing: Record<string, unknown> } }).capabilities
      .files_sharing;
    expect(sharing.public).toMatchObject({
      password: {
        enforced: true,
        enforced_for: { read_only: true, read_write: true, upload_only: true, read_write_delete: true },
      },
      expire_date: { enabled: true, days: '7', enforced: true },
    });
    expect(sharing.federation).toEqual({ outgoing: false, incoming: true });
  });

  it('enforces password and expiry on creation', async () => {
    const noPassword = await ocs(node.url + SHARES, 'POST', {
      auth: ALICE,
      form: { path: '/doc.txt', shareType: '3' },
    });
    expect(noPassword.status).toBe(403);
    expect(noPassword.body.ocs.meta.message).toBe('Passwords are enforced for link shares');
    const tooFar = await ocs(node.url + SHARES, 'POST', {
      auth: ALICE,
      form: { path: '/doc.txt', shareType: '3', password: 'p', expireDate: inDays(30) },
    });
    expect(tooFar.status).toBe(404);
    expect(tooFar.body.ocs.meta.message).toBe('Cannot set expiration date more than 7 days in the future');
    const ok = await ocs(node.url + SHARES, 'POST', {
      auth: ALICE,
      form: { path: '/doc.txt', shareType: '3', password: 'p' },
    });
    expect((ok.body.ocs.data as { expiration: string }).expiration).toBe(`${inDays(7)} 00:00:00`);
  });

  it('omits the federation marker and refuses federated shares when outgoing federation is off', async () => {
    const created = await ocs(node.url + SHARES, 'POST', {
      auth: ALICE,
      form: { path: '/doc.txt', shareType: '3', password: 'p' },
    });
    const token = (created.body.ocs.data as { token: string }).token;
    const jar = new CookieJar();
    const rt = requestTokenOf(await (await call(`${node.url}/s/${token}/authenticate`, 'GET', { jar })).text());
    expect(
      (await call(`${node.url}/s/${token}/authenticate`, 'POST', { jar, form: { password: 'p', requesttoken: rt } }))
        .status,
    ).toBe(303);
    const page = await (await call(`${node.url}/s/${token}`, 'GET', { jar })).text();
    expect(page).toContain('id="sharingToken"');
    expect(page).not.toContain('id="save"');
    const share6 = await ocs(node.url + SHARES, 'POST', {
      auth: ALICE,
      form: { path: '/doc.txt', shareType: '6', shareWith: 'bob@example.org' },
    });
    expect(share6.status).toBe(403);
    const cfs = await call(`${node.url}/index.php/apps/federatedfilesharing/createFederatedShare`, 'POST', {
      form: { shareWith: 'bob@example.org', token, password: 'p' },
    });
    expect(cfs.status).toBe(400);
    expect(await cfs.json()).toEqual({ message: "This server doesn't support outgoing federated shares" });
  });
});
