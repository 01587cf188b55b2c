import { describe, expect, it } from 'vitest';
import { formatCloudId, parseInstanceAddress, splitCloudId } from '@/lib/instance/address';

const ok = (input: string) => {
  const result = parseInstanceAddress(input);
  if (!result.ok) throw new Error(`expected ${input} to parse: ${result.problem.code}`);
  return result.address;
};
const error = (input: string) => {
  const result = parseInstanceAddress(input);
  if (result.ok) throw new Error(`expected ${input} to be refused`);
  return result.problem;
};

describe('parseInstanceAddress: instance URLs in the shapes people paste', () => {
  it.each([
    ['cloud.example.com', 'https://cloud.example.com', ''],
    ['https://cloud.example.com/', 'https://cloud.example.com', ''],
    ['  HTTPS://Cloud.Example.COM  ', 'https://cloud.example.com', ''],
    ['cloud.example.com:8443', 'https://cloud.example.com:8443', ''],
    ['https://cloud.example.com:443/', 'https://cloud.example.com', ''],
    ['example.com/nextcloud', 'https://example.com/nextcloud', '/nextcloud'],
    ['https://example.com/owncloud/index.php/apps/files/?dir=/Photos', 'https://example.com/owncloud', '/owncloud'],
    ['https://example.com/owncloud/index.php', 'https://example.com/owncloud', '/owncloud'],
    ['https://cloud.example.com/apps/files/', 'https://cloud.example.com', ''],
    ['https://cloud.example.com/remote.php/dav/files/alice/', 'https://cloud.example.com', ''],
    ['https://cloud.example.com/s/AbCdEf123456789', 'https://cloud.example.com', ''],
    ['https://cloud.example.com/nc//', 'https://cloud.example.com/nc', '/nc'],
    ['https://cloud.example.com/nc#/files', 'https://cloud.example.com/nc', '/nc'],
    ['bücher.example', 'https://xn--bcher-kva.example', ''],
    ['http://127.0.0.1:8102', 'http://127.0.0.1:8102', ''],
    ['[::1]:8080', 'https://[::1]:8080', ''],
  ])('%s → %s', (input, baseUrl, basePath) => {
    const address = ok(input);
    expect(address.baseUrl).toBe(baseUrl);
    expect(address.basePath).toBe(basePath);
    expect(address.user).toBeUndefined();
  });

  it('flags plain http so the UI can warn', () => {
    expect(ok('http://127.0.0.1:8102').insecure).toBe(true);
    expect(ok('cloud.example.com').insecure).toBe(false);
  });
});

describe('parseInstanceAddress: cloud ids', () => {
  it.each([
    ['alice@cloud.example.com', 'alice', 'https://cloud.example.com'],
    ['alice@cloud.example.com/nextcloud', 'alice', 'https://cloud.example.com/nextcloud'],
    ['alice@cloud.example.com:8443/owncloud/', 'alice', 'https://cloud.example.com:8443/owncloud'],
    ['alice@example.org@cloud.example.com', 'alice@example.org', 'https://cloud.example.com'],
    ['bob@http://127.0.0.1:8102', 'bob', 'http://127.0.0.1:8102'],
    ['bob@https://cloud.example.com/index.php', 'bob', 'https://cloud.example.com'],
    ['Ana.María@bücher.example', 'Ana.María', 'https://xn--bcher-kva.example'],
  ])('%s → user %s on %s', (input, user, baseUrl) => {
    const address = ok(input);
    expect(address.user).toBe(user);
    expect(address.baseUrl).toBe(baseUrl);
  });

  it('splits at the last @ before the first / or : (servers’ rule)', () => {
    expect(splitCloudId('a@b@host/path@x')).toEqual({ user: 'a@b', remote: 'host/path@x' });
    expect(splitCloudId('host/path@x')).toBeUndefined();
    expect(splitCloudId('https://host')).toBeUndefined();
    expect(splitCloudId('@host')).toBeUndefined();
    expect(splitCloudId('alice@')).toBeUndefined();
  });
});

describe('parseInstanceAddress: bad input gets a precise problem (worded by the UI)', () => {
  it.each([
    ['', { code: 'address-empty' }],
    ['   ', { code: 'address-empty' }],
    ['cloud example.com', { code: 'address-spaces' }],
    ['ftp://cloud.example.com', { code: 'address-scheme' }],
    ['javascript:alert(1)', { code: 'address-scheme' }],
    ['https://alice:secret@cloud.example.com', { code: 'address-credentials' }],
    ['https://', { code: 'address-invalid', input: 'https://' }],
    ['https://exa mple.com', { code: 'address-spaces' }],
    ['https://cloud.example.com:99999', { code: 'address-invalid', input: 'https://cloud.example.com:99999' }],
    ['https://cloud_example!.com', { code: 'address-no-host', input: 'https://cloud_example!.com' }],
    ['a b@cloud.example.com', { code: 'address-spaces' }],
  ])('%j → %o', (input, problem) => {
    expect(error(input)).toEqual(problem);
  });
});

describe('formatCloudId', () => {
  it('leaves https out and keeps http, as the servers print cloud ids', () => {
    expect(formatCloudId('bob', 'https://cloud.example.com/nc')).toBe('bob@cloud.example.com/nc');
    expect(formatCloudId('bob', 'http://127.0.0.1:8102')).toBe('bob@http://127.0.0.1:8102');
    expect(formatCloudId('alice@example.org', 'https://cloud.example.com')).toBe('alice@example.org@cloud.example.com');
  });
});
