import { describe, expect, it } from 'vitest';
import { parseTokenInfo, tokenInfoUrl } from '@/lib/sharer/tokeninfo';

describe('oCIS tokeninfo', () => {
  it('builds the unauthenticated endpoint under the base path, with the token encoded', () => {
    expect(tokenInfoUrl('https://ocis.example', '/web', 'AbC123')).toBe(
      'https://ocis.example/web/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/AbC123?format=json',
    );
  });

  it('confirms only a well-formed answer naming the same token', () => {
    const ok = { ocs: { meta: { statuscode: 100 }, data: { token: 'AbC123', password_protected: 'true' } } };
    expect(parseTokenInfo(ok, 'AbC123')).toEqual({ confirmed: true, isProtected: true });
    expect(
      parseTokenInfo(
        { ocs: { meta: { statuscode: 200 }, data: { token: 'AbC123', password_protected: false } } },
        'AbC123',
      ),
    ).toEqual({
      confirmed: true,
      isProtected: false,
    });
  });

  it.each([
    ['another token', { ocs: { meta: { statuscode: 100 }, data: { token: 'Other1' } } }, 'different link'],
    ['an error status', { ocs: { meta: { statuscode: 404 }, data: {} } }, 'does not know this link'],
    ['no data', { ocs: { meta: { statuscode: 100 } } }, 'without link details'],
    ['garbage', 'not an object', 'does not know this link'],
    ['null', null, 'does not know this link'],
  ])('fails closed on %s', (_what, body, reason) => {
    const result = parseTokenInfo(body, 'AbC123');
    expect(result.confirmed).toBe(false);
    expect(!result.confirmed && result.reason).toContain(reason);
  });
});
