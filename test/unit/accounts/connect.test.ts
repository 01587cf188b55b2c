import { describe, expect, it } from 'vitest';
import { appPasswordPage, completeConnection, probeInstance, readCapabilities, signInMethod } from '@/lib/accounts/connect';
import { parseInstanceAddress, type InstanceAddress } from '@/lib/instance/address';
import { InstanceError } from '@/lib/instance/errors';
import { fakeFetch, json, ocs } from '../support/fake-fetch';

const address = (input: string): InstanceAddress => {
  const result = parseInstanceAddress(input);
  if (!result.ok) throw new Error(result.error);
  return result.address;
};

const nextcloudStatus = { installed: true, maintenance: false, needsDbUpgrade: false, version: '31.0.4.1', versionstring: '31.0.4', edition: '', productname: 'Nextcloud', extendedSupport: false };

describe('connecting an instance', () => {
  it('probes status.php under the base path and picks Login Flow for Nextcloud', async () => {
    const { impl, requests } = fakeFetch({ 'GET /nc/status.php': () => json(nextcloudStatus) });
    const status = await probeInstance(address('cloud.example.com/nc'), { fetchImpl: impl });
    expect(status).toMatchObject({ kind: 'nextcloud', version: '31.0.4' });
    expect(signInMethod(status)).toBe('login-flow');
    expect(requests[0]!.url.href).toBe('https://cloud.example.com/nc/status.php');
  });

  it('asks ownCloud 10 users for an app password and links to the page that makes one', () => {
    expect(signInMethod({ kind: 'owncloud', version: '10.15.2', productName: 'ownCloud', maintenance: false })).toBe('app-password');
    expect(signInMethod({ kind: 'ocis', version: '7', productName: 'Infinite Scale', maintenance: false })).toBe('unsupported');
    expect(appPasswordPage('https://oc.example/owncloud')).toBe('https://oc.example/owncloud/index.php/settings/personal?sectionid=security');
  });

  it.each([
    ['no status.php', () => new Response('<html>404</html>', { status: 404 }), 'no ownCloud or Nextcloud at this address'],
    ['an HTML page', () => new Response('<html>hello</html>', { status: 200 }), 'no ownCloud or Nextcloud at this address'],
    ['some other JSON', () => json({ hello: 'world' }), 'does not answer like an ownCloud'],
    ['maintenance mode', () => json({ ...nextcloudStatus, maintenance: true }), 'maintenance mode'],
    ['a server error', () => new Response('', { status: 502 }), 'internal error (HTTP 502)'],
  ])('explains %s', async (_what, answer, message) => {
    const { impl } = fakeFetch({ 'GET /status.php': answer });
    await expect(probeInstance(address('cloud.example.com'), { fetchImpl: impl })).rejects.toThrow(message);
  });

  it('builds the account from the server’s uid, not the login name', async () => {
    const { impl } = fakeFetch({ 'GET /nc/ocs/v2.php/cloud/user': () => ocs({ id: 'b.smith', 'display-name': 'Bob Smith' }) });
    const status = { kind: 'nextcloud' as const, version: '31.0.4', productName: 'Nextcloud', maintenance: false };
    const account = await completeConnection(address('https://cloud.example.com/nc/'), status, { loginName: 'bob@example.org', appPassword: 'x' }, { fetchImpl: impl, id: 'a1', now: 5 });
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
      'GET /ocs/v2.php/cloud/capabilities': () => ocs({ version: { string: '10.15.2' }, capabilities: { files_sharing: { federation: { incoming: false, outgoing: true } } } }),
    });
    const status = { kind: 'owncloud' as const, version: '', productName: 'ownCloud', maintenance: false };
    const account = await completeConnection(address('oc.example'), status, { loginName: 'bob', appPassword: 'x' }, { fetchImpl: impl });
    expect(account).toMatchObject({ version: '10.15.2', acceptsFederatedShares: false });
  });

  it('reads capabilities defensively', () => {
    expect(readCapabilities(undefined)).toEqual({});
    expect(readCapabilities({ version: { string: 5 }, capabilities: { files_sharing: { federation: { incoming: 'yes' } } } })).toEqual({});
    expect(readCapabilities({ capabilities: { files_sharing: { federation: { incoming: true } } } })).toEqual({ acceptsFederatedShares: true });
  });

  it('says plainly when the pasted app password is wrong', async () => {
    const { impl } = fakeFetch({ 'GET /ocs/v2.php/cloud/user': () => ocs([], 997, 'Unauthorised') });
    const status = { kind: 'owncloud' as const, version: '10.15.2', productName: 'ownCloud', maintenance: false };
    const error = await completeConnection(address('oc.example'), status, { loginName: 'bob', appPassword: 'wrong' }, { fetchImpl: impl }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstanceError);
    expect((error as Error).message).toBe('The server did not accept this login name and app password.');
  });
});
