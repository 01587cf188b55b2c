import { describe, expect, it } from 'vitest';
import { parseShareUrl } from '@/lib/share/url';
import type { ShareUrl } from '@/lib/share/types';

const share = (
  origin: string,
  basePath: string,
  token: string,
  viaIndexPhp: boolean,
  route: ShareUrl['route'],
): ShareUrl => ({
  origin,
  basePath,
  token,
  viaIndexPhp,
  route,
});

describe('parseShareUrl: share URLs', () => {
  it.each<[string, ShareUrl]>([
    [
      'https://cloud.example.org/s/Kq3TzP8wLm2Vx7A',
      share('https://cloud.example.org', '', 'Kq3TzP8wLm2Vx7A', false, 'share'),
    ],
    [
      'https://cloud.example.org/index.php/s/Kq3TzP8wLm2Vx7A',
      share('https://cloud.example.org', '', 'Kq3TzP8wLm2Vx7A', true, 'share'),
    ],
    [
      'https://cloud.example.org/s/Kq3TzP8wLm2Vx7A/',
      share('https://cloud.example.org', '', 'Kq3TzP8wLm2Vx7A', false, 'share'),
    ],
    [
      'https://cloud.example.org/index.php/s/Kq3TzP8wLm2Vx7A/',
      share('https://cloud.example.org', '', 'Kq3TzP8wLm2Vx7A', true, 'share'),
    ],
    [
      'https://cloud.example.org/index.php/s/Kq3TzP8wLm2Vx7A?path=%2Fsub',
      share('https://cloud.example.org', '', 'Kq3TzP8wLm2Vx7A', true, 'share'),
    ],
    [
      'https://cloud.example.org/s/Kq3TzP8wLm2Vx7A?dir=/2026#top',
      share('https://cloud.example.org', '', 'Kq3TzP8wLm2Vx7A', false, 'share'),
    ],
    [
      'http://127.0.0.1:8101/index.php/s/Pz2LtHr5UaTv6BX',
      share('http://127.0.0.1:8101', '', 'Pz2LtHr5UaTv6BX', true, 'share'),
    ],
    [
      'https://example.net/owncloud/index.php/s/Jd8Fk2Lp4Zs6Qw1',
      share('https://example.net', '/owncloud', 'Jd8Fk2Lp4Zs6Qw1', true, 'share'),
    ],
    [
      'https://example.net/a/b/c/s/Jd8Fk2Lp4Zs6Qw1',
      share('https://example.net', '/a/b/c', 'Jd8Fk2Lp4Zs6Qw1', false, 'share'),
    ],
    ['https://CLOUD.Example.org:443/s/Abc123', share('https://cloud.example.org', '', 'Abc123', false, 'share')],
    ['https://x.example/s/' + 'a'.repeat(32), share('https://x.example', '', 'a'.repeat(32), false, 'share')],
    // password pages
    [
      'https://cloud.example.org/index.php/s/Pw7Hx3Ke9Ty2Ua5/authenticate',
      share('https://cloud.example.org', '', 'Pw7Hx3Ke9Ty2Ua5', true, 'authenticate'),
    ],
    [
      'https://nc.example.com/s/pW5aS7sW9oR1dN3/authenticate/showShare',
      share('https://nc.example.com', '', 'pW5aS7sW9oR1dN3', false, 'authenticate'),
    ],
    [
      'https://nc.example.com/nc/index.php/s/pW5aS7sW9oR1dN3/authenticate/downloadShare',
      share('https://nc.example.com', '/nc', 'pW5aS7sW9oR1dN3', true, 'authenticate'),
    ],
    // oCIS / Web SPA routes
    [
      'https://ocis.example.com/s/Gx4Hj6Kl8Mn0Pq2/Shared%20Docs/sub',
      share('https://ocis.example.com', '', 'Gx4Hj6Kl8Mn0Pq2', false, 'share'),
    ],
    [
      'https://ocis.example.com/files/link/public/Gx4Hj6Kl8Mn0Pq2',
      share('https://ocis.example.com', '', 'Gx4Hj6Kl8Mn0Pq2', false, 'spa-link'),
    ],
    [
      'https://ocis.example.com/files/link/public/Gx4Hj6Kl8Mn0Pq2/a/b?contextRouteName=x',
      share('https://ocis.example.com', '', 'Gx4Hj6Kl8Mn0Pq2', false, 'spa-link'),
    ],
    [
      'https://ocis.example.com/files/upload/Up8Dr0Op2Zn4Xc6',
      share('https://ocis.example.com', '', 'Up8Dr0Op2Zn4Xc6', false, 'spa-upload'),
    ],
    [
      'https://example.org/web/files/upload/Up8Dr0Op2Zn4Xc6/',
      share('https://example.org', '/web', 'Up8Dr0Op2Zn4Xc6', false, 'spa-upload'),
    ],
    [
      'https://oc.example.org/web/index.html#/s/Hs5Tg6Yh7Uj8Ik9',
      share('https://oc.example.org', '/web', 'Hs5Tg6Yh7Uj8Ik9', false, 'spa-hash'),
    ],
    [
      'https://oc.example.org/web/#/s/Hs5Tg6Yh7Uj8Ik9/sub',
      share('https://oc.example.org', '/web', 'Hs5Tg6Yh7Uj8Ik9', false, 'spa-hash'),
    ],
    [
      'https://oc.example.org/#/s/Hs5Tg6Yh7Uj8Ik9?x=1',
      share('https://oc.example.org', '', 'Hs5Tg6Yh7Uj8Ik9', false, 'spa-hash'),
    ],
  ])('%s', (url, expected) => {
    expect(parseShareUrl(url)).toEqual(expected);
  });
});

describe('parseShareUrl: everything else is null', () => {
  it.each([
    ['no /s/ at all', 'https://www.example.com/'],
    ['files app', 'https://cloud.example.org/index.php/apps/files/?dir=/'],
    ['token too short', 'https://cloud.example.org/s/Abc12'],
    ['token too long', 'https://cloud.example.org/s/' + 'a'.repeat(33)],
    ['token with a dash', 'https://cloud.example.org/s/Kq3TzP8w-Lm2Vx7A'],
    ['token with an underscore', 'https://cloud.example.org/s/Kq3TzP8w_Lm2Vx7A'],
    ['percent-encoded token', 'https://cloud.example.org/s/Kq3TzP8w%41Lm2'],
    ['empty token', 'https://cloud.example.org/s/'],
    ['download', 'https://cloud.example.org/index.php/s/Kq3TzP8wLm2Vx7A/download'],
    ['download with a file name', 'https://nc.example.com/s/Kq3TzP8wLm2Vx7A/download/report.pdf'],
    ['preview', 'https://nc.example.com/s/Kq3TzP8wLm2Vx7A/preview'],
    ['other sub-resource below /index.php/s/TOKEN', 'https://cloud.example.org/index.php/s/Kq3TzP8wLm2Vx7A/anything'],
    ['malformed authenticate', 'https://cloud.example.org/s/Kq3TzP8wLm2Vx7A/authenticate/a/b'],
    ['upper-case /S/', 'https://cloud.example.org/S/Kq3TzP8wLm2Vx7A'],
    ['token only in the query', 'https://cloud.example.org/?s=/s/Kq3TzP8wLm2Vx7A'],
    ['hash that is not a Web route', 'https://cloud.example.org/page#s/Kq3TzP8wLm2Vx7A'],
    ['hash route with a bad token', 'https://oc.example.org/web/index.html#/s/abc'],
    ['ftp', 'ftp://cloud.example.org/s/Kq3TzP8wLm2Vx7A'],
    ['file', 'file:///home/u/s/Kq3TzP8wLm2Vx7A'],
    ['data', 'data:text/html,/s/Kq3TzP8wLm2Vx7A'],
    ['javascript', 'javascript:alert(1)//x/s/Kq3TzP8wLm2Vx7A'],
    ['blob', 'blob:https://cloud.example.org/s/Kq3TzP8wLm2Vx7A'],
    ['chrome-extension', 'chrome-extension://abcdefghijklmnop/s/Kq3TzP8wLm2Vx7A'],
    ['malformed', 'https://[cloud.example.org/s/Kq3TzP8wLm2Vx7A'],
    ['relative', '/s/Kq3TzP8wLm2Vx7A'],
    ['empty string', ''],
    ['spaces', '   '],
  ])('%s', (_why, url) => {
    expect(parseShareUrl(url)).toBeNull();
  });

  it('does not throw on non-string input that slips past the types', () => {
    for (const odd of [undefined, null, 42, {}, [], Symbol('x')]) {
      expect(() => parseShareUrl(odd as unknown as string)).not.toThrow();
      expect(parseShareUrl(odd as unknown as string)).toBeNull();
    }
  });

  it('stays fast on a long hostile path (no catastrophic backtracking)', () => {
    const url = 'https://example.com/' + 's/'.repeat(20_000) + 'x';
    const start = performance.now();
    expect(parseShareUrl(url)).toBeNull();
    expect(performance.now() - start).toBeLessThan(200);
  });
});

describe('parseShareUrl: canonical pieces', () => {
  it('keeps the first /s/TOKEN of the path and everything before it as the base path', () => {
    expect(parseShareUrl('https://example.com/blog/s/abcdef123/s/Kq3TzP8wLm2Vx7A')).toMatchObject({
      basePath: '/blog',
      token: 'abcdef123',
      route: 'share',
    });
  });

  it('prefers a path route over a hash route', () => {
    expect(parseShareUrl('https://example.com/s/Kq3TzP8wLm2Vx7A#/s/Hs5Tg6Yh7Uj8Ik9')).toMatchObject({
      token: 'Kq3TzP8wLm2Vx7A',
      route: 'share',
    });
  });

  it('never takes the origin from anything but the URL host (credentials are dropped)', () => {
    expect(parseShareUrl('https://user:pass@cloud.example.org/s/Kq3TzP8wLm2Vx7A')?.origin).toBe(
      'https://cloud.example.org',
    );
  });
});
