import { describe, expect, it } from 'vitest';
import { problemFrom } from '@/lib/instance/errors';
import { interpretShareInfo, shareInfoRequestBody } from '@/lib/sharer/shareinfo';
import type { Problem } from '@/lib/problem';

const SHARER = 'https://alice.example';

const failure = (status: number, body = '', passwordGiven = false): Problem | 'ok' => {
  try {
    interpretShareInfo({ status, body }, passwordGiven, SHARER);
    return 'ok';
  } catch (error) {
    return problemFrom(error, 'sharer', SHARER);
  }
};

describe('shareinfo', () => {
  it('asks for one level only and carries the token for both server families', () => {
    expect(Object.fromEntries(new URLSearchParams(shareInfoRequestBody('Tok123', 'pw')))).toEqual({
      t: 'Tok123',
      password: 'pw',
      dir: '/',
      depth: '0',
    });
  });

  it('reads name and type of a real ownCloud 10 answer', () => {
    const body = JSON.stringify({
      data: { id: 19, name: 'Shared Folder', type: 'dir', mimetype: 'httpd/unix-directory', children: [] },
      status: 'success',
    });
    expect(interpretShareInfo({ status: 200, body }, false, SHARER)).toEqual({ name: 'Shared Folder', isFolder: true });
    const file = JSON.stringify({ data: { name: 'report.txt', type: 'file', mimetype: 'text/plain' } });
    expect(interpretShareInfo({ status: 200, body: file }, false, SHARER)).toEqual({
      name: 'report.txt',
      isFolder: false,
    });
  });

  it.each<[number, string, boolean, Problem]>([
    [404, '', false, { code: 'link-gone', server: SHARER }],
    [403, '{"success":false,"status":"error"}', true, { code: 'password-wrong' }],
    [403, '{"success":false,"status":"error"}', false, { code: 'password-needed' }],
    [429, '', false, { code: 'sharer-throttled', server: SHARER, status: 429 }],
    [500, '', false, { code: 'sharer-server-error', server: SHARER, status: 500 }],
    [0, '', false, { code: 'sharer-unreachable', server: SHARER }],
    [200, '<html>', false, { code: 'sharer-bad-response', server: SHARER, status: 200 }],
    [200, '{"data":{"name":""}}', false, { code: 'sharer-bad-response', server: SHARER, status: 200 }],
  ])('HTTP %i → a specific problem', (status, body, passwordGiven, problem) => {
    expect(failure(status, body, passwordGiven)).toEqual(problem);
  });
});
