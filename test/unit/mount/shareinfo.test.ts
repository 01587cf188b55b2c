import { describe, expect, it } from 'vitest';
import { InstanceError } from '@/lib/instance/errors';
import { interpretShareInfo, shareInfoRequestBody } from '@/lib/mount/shareinfo';

const failure = (status: number, body = '', passwordGiven = false) => {
  try {
    interpretShareInfo({ status, body }, passwordGiven);
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(InstanceError);
    return (error as Error).message;
  }
};

describe('shareinfo', () => {
  it('asks for one level only and carries the token for both server families', () => {
    expect(Object.fromEntries(new URLSearchParams(shareInfoRequestBody('Tok123', 'pw')))).toEqual({ t: 'Tok123', password: 'pw', dir: '/', depth: '0' });
  });

  it('reads name and type of a real ownCloud 10 answer', () => {
    const body = JSON.stringify({ data: { id: 19, name: 'Shared Folder', type: 'dir', mimetype: 'httpd/unix-directory', children: [] }, status: 'success' });
    expect(interpretShareInfo({ status: 200, body }, false)).toEqual({ name: 'Shared Folder', isFolder: true });
    const file = JSON.stringify({ data: { name: 'report.txt', type: 'file', mimetype: 'text/plain' } });
    expect(interpretShareInfo({ status: 200, body: file }, false)).toEqual({ name: 'report.txt', isFolder: false });
  });

  it.each([
    [404, '', false, 'does not exist any more'],
    [403, '{"success":false,"status":"error"}', true, 'The share password is wrong'],
    [403, '{"success":false,"status":"error"}', false, 'protected by a password: type it'],
    [429, '', false, 'throttling'],
    [500, '', false, 'internal error'],
    [0, '', false, 'could not be reached'],
    [200, '<html>', false, 'unexpected'],
    [200, '{"data":{"name":""}}', false, 'unexpected'],
  ])('HTTP %i → a specific message', (status, body, passwordGiven, message) => {
    expect(failure(status, body, passwordGiven)).toContain(message);
  });
});
