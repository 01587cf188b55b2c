import { describe, expect, it } from 'vitest';
import { readTokenInfo, tokenInfoUrl } from '@/lib/sharer/tokeninfo';

const answer = (body: unknown, status = 200) => ({ status, body: JSON.stringify(body) });

describe('oCIS tokeninfo', () => {
  it('builds the unauthenticated endpoint under the base path, with the token encoded', () => {
    expect(tokenInfoUrl('https://ocis.example', '/web', 'AbC123')).toBe(
      'https://ocis.example/web/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/AbC123?format=json',
    );
  });

  it('confirms only a well-formed answer naming the same token', () => {
    const ok = { ocs: { meta: { statuscode: 100 }, data: { token: 'AbC123', password_protected: 'true' } } };
    expect(readTokenInfo(answer(ok), 'AbC123')).toEqual({ confirmed: true, isProtected: true });
    expect(
      readTokenInfo(
        answer({ ocs: { meta: { statuscode: 200 }, data: { token: 'AbC123', password_protected: false } } }),
        'AbC123',
      ),
    ).toEqual({
      confirmed: true,
      isProtected: false,
    });
  });

  it.each([
    ['another token', answer({ ocs: { meta: { statuscode: 100 }, data: { token: 'Other1' } } }), 'other-link'],
    ['an error status', answer({ ocs: { meta: { statuscode: 404 }, data: {} } }), 'unknown-link'],
    [
      'an internal link',
      answer({ ocs: { meta: { statuscode: 100 }, data: { token: 'AbC123', alias_link: true } } }),
      'internal-link',
    ],
    ['no data', answer({ ocs: { meta: { statuscode: 100 } } }), 'bad-response'],
    ['a JSON string', answer('not an object'), 'bad-response'],
    ['null', answer(null), 'bad-response'],
    ['a body that is no JSON', { status: 200, body: '<html>' }, 'bad-response'],
    ['no answer at all', { status: 0, body: '' }, 'unreachable'],
  ])('fails closed on %s', (_what, sharerAnswer, reason) => {
    expect(readTokenInfo(sharerAnswer, 'AbC123')).toEqual({ confirmed: false, reason });
  });

  it('leaves statuscode 996 undecided (a password link answers like an unknown one)', () => {
    expect(readTokenInfo(answer({ ocs: { meta: { statuscode: 996 } } }), 'AbC123')).toBe('undecided');
  });
});
