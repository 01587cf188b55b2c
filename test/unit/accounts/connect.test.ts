import { describe, expect, it } from 'vitest';
import {
  appPasswordPage,
  completeConnection,
  probeInstance,
  readCapabilities,
  signInMethod,
} from '@/lib/accounts/connect';
import { parseInstanceAddress, type InstanceAddress } from '@/lib/instance/address';
import { InstanceError, problemFrom } from '@/lib/instance/errors';
import { NEXTCLOUD_31_STATUS } from '../../fixtures/status-php';
import { fakeFetch, json, ocs } from '../support/fake-fetch';

const address = (input: string): InstanceAddress => {
  const result = parseInstanceAddress(input);
  if (!result.ok) throw new Error(result.problem.code);
  return result.address;
};

describe('connecting an instance', () => {
  it('probes status.php under the base path and picks Login Flow for Nextcloud', async () => {
    const { impl, requests } = fakeFetch({ 'GET /nc/status.php': () => json(NEXTCLOUD_31_STATUS) });
    const status = await probeInstance(address('cloud.example.com/nc'), { fetchImpl: impl });
    expect(status).toMatchObject({ kind: 'nextcloud', version: '31.0.4' });
    expect(signInMethod(status)).toBe('login-flow');
    expect(requests[0]!.url.href).toBe('https://cloud.example.com/nc/status.php');
  });

  it('asks ownCloud 10 users for an app password and links to the page that makes one', () => {
    expect(signInMethod({ kind: 'owncloud', version: '10.15.2', productName: 'ownCloud', maintenance: false })).toBe(
      'app-password',
    );
    expect(signInMethod({ kind: 'ocis', version: '7', productName: 'Infinite Scale', maintenance: false })).toBe(
      'unsupported',
    );
    expect(appPasswordPage('https://oc.example/owncloud')).toBe(
      'https://oc.example/owncloud/index.php/settings/personal?sectionid=security',
    );
  });

  it.each([
    [
      'no status.php',
      () => new Response('<html>404</html>', { status: 404 }),
      { code: 'not-a-cloud', server: 'https://cloud.example.com' },
    ],
    [
      'an HTML page',
      () => new Response('<html>hello</html>', { status: 200 }),
      { code: 'not-a-cloud', server: 'https://cloud.example.com' },
    ],
    ['some other JSON', () => json({ hello: 'world' }), { code: 'not-a-cloud', server: 'https://cloud.example.com' }],
    [
      'an unfinished install',
      () => json({ ...NEXTCLOUD_31_STATUS, installed: false }),
      { code: 'not-installed', server: 'https://cloud.example.com' },
    ],
    [
      'maintenance mode',
      () => json({ ...NEXTCLOUD_31_STATUS, maintenance: true }),
      { code: 'maintenance', server: 'https://cloud.example.com' },
    ],
    [
      'a server error',
      () => new Response('', { status: 502 }),
      { code: 'instance-server-error', server: 'https://cloud.example.com', status: 502 },
    ],
  ])('explains %s, naming the address tried', async (_what, answer, problem) => {
    const { impl } = fakeFetch({ 'GET /status.php': answer });
    const error = await probeInstance(address('cloud.example.com'), { fetchImpl: impl }).catch((e: unknown) => e);
    expect(problemFrom(error, 'instance', 'https://cloud.example.com')).toEqual(problem);
  });

  it('builds the account from the server’s uid, not the login name', async () => {
    const { impl } = fakeFetch({
      'GET /nc/ocs/v2.php/cloud/user': () => ocs({ id: 'b.smith', 'display-name': 'Bob Smith' }),
    });
    const status = { kind: 'nextcloud' as const, version: '31.0.4', productName: 'Nextcloud', maintenance: false };
    const account = await completeConnection(
      address('https://cloud.example.com/nc/'),
      status,
      { loginName: 'bob@example.org', appPassword: 'x' },
      { fetchImpl: impl, id: 'a1', now: 5 },
    );
    expect(account).toEqual({
      id: 'a1',
      baseUrl: 'https://cloud.example.com/nc',
      kind: 'nextcloud',
      version: '31.0.4',
      productName: 'Nextcloud',
      userId: 'b.smith',
      loginName: 'bob@example.org',
      displayName: 'Bob Smith',
      cloudId: 'b.smith@cloud.example.com/nc',
      addedAt: 5,
    });
  });

  it('records from the capabilities whether the instance takes federated shares, and a hidden version', async () => {
    const { impl } = fakeFetch({
      'GET /ocs/v2.php/cloud/user': () => ocs({ id: 'bob' }),
      'GET /ocs/v2.php/cloud/capabilities': () =>
        ocs({
          version: { string: '10.15.2' },
          capabilities: { files_sharing: { federation: { incoming: false, outgoing: true } } },
        }),
    });
    const status = { kind: 'owncloud' as const, version: '', productName: 'ownCloud', maintenance: false };
    const account = await completeConnection(
      address('oc.example'),
      status,
      { loginName: 'bob', appPassword: 'x' },
      { fetchImpl: impl },
    );
    expect(account).toMatchObject({ version: '10.15.2', acceptsFederatedShares: false });
  });

  it('reads capabilities defensively', () => {
    expect(readCapabilities(undefined)).toEqual({});
    expect(
      readCapabilities({
        version: { string: 5 },
        capabilities: { files_sharing: { federation: { incoming: 'yes' } } },
      }),
    ).toEqual({});
    expect(readCapabilities({ capabilities: { files_sharing: { federation: { incoming: true } } } })).toEqual({
      acceptsFederatedShares: true,
    });
  });

  it('says plainly when the pasted app password is wrong', async () => {
    const { impl } = fakeFetch({ 'GET /ocs/v2.php/cloud/user': () => ocs([], 997, 'Unauthorised') });
    const status = { kind: 'owncloud' as const, version: '10.15.2', productName: 'ownCloud', maintenance: false };
    const error = await completeConnection(
      address('oc.example'),
      status,
      { loginName: 'bob', appPassword: 'wrong' },
      { fetchImpl: impl },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstanceError);
    expect((error as InstanceError).problem).toEqual({ code: 'login-rejected', server: 'https://oc.example' });
  });
});
