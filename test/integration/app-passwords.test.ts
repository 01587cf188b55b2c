import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startNode, type TestNode } from './helpers/node';
import { call, CookieJar, ocs, requestTokenOf } from './helpers/http';

// Issue 8, finding 11: app passwords can be listed and revoked one by one, and a password reset revokes them (and
// logs the account's browsers out) unless the operator keeps them on purpose.

let node: TestNode;
const ALICE: [string, string] = ['alice', 'alice-pass-1'];
const LIST = '/ocs/v2.php/core/apppasswords';

interface Listed {
  id: number;
  name: string;
  created: number;
  lastUsed: number | null;
  current: boolean;
}

beforeAll(async () => {
  node = await startNode({
    users: [
      { name: 'alice', password: 'alice-pass-1' },
      { name: 'bob', password: 'bob-pass-1' },
    ],
  });
});
afterAll(async () => node.stop());

async function newAppPassword(auth: [string, string], client: string): Promise<string> {
  const result = await ocs(`${node.url}/ocs/v2.php/core/getapppassword`, 'GET', {
    auth,
    headers: { 'User-Agent': client },
  });
  expect(result.status).toBe(200);
  return (result.body.ocs.data as { apppassword: string }).apppassword;
}

const whoAmI = (auth: [string, string]) => ocs(`${node.url}/ocs/v2.php/cloud/user`, 'GET', { auth });

async function webLogin(password: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const requesttoken = requestTokenOf(await (await call(`${node.url}/index.php/login`, 'GET', { jar })).text());
  expect(
    (await call(`${node.url}/index.php/login`, 'POST', { jar, form: { user: 'alice', password, requesttoken } }))
      .status,
  ).toBe(303);
  return jar;
}

describe('app passwords', () => {
  it("lists the caller's app passwords without their secrets and revokes one by id", async () => {
    const phone = await newAppPassword(ALICE, 'Phone client');
    const laptop = await newAppPassword(ALICE, 'Laptop client');
    await newAppPassword(['bob', 'bob-pass-1'], 'Bob client');
    expect((await whoAmI(['alice', phone])).status).toBe(200);

    const listed = await ocs(node.url + LIST, 'GET', { auth: ['alice', laptop] });
    expect(listed.status).toBe(200);
    const entries = listed.body.ocs.data as Listed[];
    expect(entries.map((e) => e.name)).toEqual(['Phone client', 'Laptop client']);
    expect(JSON.stringify(listed.body)).not.toContain(phone);
    const phoneEntry = entries.find((e) => e.name === 'Phone client');
    const laptopEntry = entries.find((e) => e.name === 'Laptop client');
    expect(phoneEntry?.lastUsed).toBeGreaterThan(0);
    expect(phoneEntry?.created).toBeGreaterThan(0);
    expect(laptopEntry?.current).toBe(true);
    expect(phoneEntry?.current).toBe(false);

    // A state change needs the header a cross-site form cannot send.
    const noHeader = await call(`${node.url}${LIST}/${phoneEntry?.id}?format=json`, 'DELETE', {
      auth: ALICE,
      apiHeader: false,
    });
    expect(noHeader.status).toBe(412);
    expect((await whoAmI(['alice', phone])).status).toBe(200);
    // Bob cannot revoke Alice's, and unknown ids are 404.
    expect((await ocs(`${node.url}${LIST}/${phoneEntry?.id}`, 'DELETE', { auth: ['bob', 'bob-pass-1'] })).status).toBe(
      404,
    );
    expect((await ocs(`${node.url}${LIST}/999999`, 'DELETE', { auth: ALICE })).status).toBe(404);
    expect((await ocs(`${node.url}${LIST}/abc`, 'DELETE', { auth: ALICE })).status).toBe(404);

    expect((await ocs(`${node.url}${LIST}/${phoneEntry?.id}`, 'DELETE', { auth: ALICE })).status).toBe(200);
    expect((await whoAmI(['alice', phone])).status).toBe(401);
    expect((await whoAmI(['alice', laptop])).status).toBe(200);
    const after = (await ocs(node.url + LIST, 'GET', { auth: ALICE })).body.ocs.data as Listed[];
    expect(after.map((e) => e.name)).toEqual(['Laptop client']);
    expect((await ocs(node.url + LIST, 'GET')).status).toBe(401);
  });

  it('a password reset revokes app passwords and logs browsers out at once; --keep-app-passwords keeps them', async () => {
    const appPassword = await newAppPassword(ALICE, 'Sync client');
    const jar = await webLogin('alice-pass-1');
    expect((await whoAmI(ALICE)).status).toBe(200); // now cached as verified
    expect((await call(`${node.url}/index.php/apps/files/`, 'GET', { jar })).status).toBe(200);

    const reset = await runCli(['user', 'add', 'alice', '--password', 'alice-pass-2', '--data', node.dataDir]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('app password(s) revoked');
    expect((await whoAmI(['alice', appPassword])).status).toBe(401);
    expect((await whoAmI(ALICE)).status).toBe(401); // the old password, even though it was cached a moment ago
    expect((await call(`${node.url}/index.php/apps/files/`, 'GET', { jar })).status).toBe(303);
    expect((await whoAmI(['alice', 'alice-pass-2'])).status).toBe(200);
    expect((await ocs(node.url + LIST, 'GET', { auth: ['alice', 'alice-pass-2'] })).body.ocs.data).toEqual([]);

    const kept = await newAppPassword(['alice', 'alice-pass-2'], 'Kept client');
    const keep = await runCli([
      'user',
      'add',
      'alice',
      '--password',
      'alice-pass-3',
      '--keep-app-passwords',
      '--data',
      node.dataDir,
    ]);
    expect(keep.code).toBe(0);
    expect((await whoAmI(['alice', kept])).status).toBe(200);
    const cliList = await runCli(['user', 'app-passwords', 'alice', '--data', node.dataDir]);
    expect(cliList.stdout).toContain('Kept client');
    expect(cliList.stdout).not.toContain(kept);
  });
});
