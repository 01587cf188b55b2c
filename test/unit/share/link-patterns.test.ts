import { describe, expect, it } from 'vitest';
import { SHARE_LINK_PATTERNS } from '@/lib/share/link-patterns';
import { parseShareUrl } from '@/lib/share/url';

/**
 * The browsers' match-pattern rules for the parts used here (scheme `*` = http/https, host `*` = any host, `*` in
 * the path = any characters), checked against the URL without its fragment, as Chrome and Firefox do.
 */
function matches(pattern: string, url: string): boolean {
  const [, scheme, host, path = ''] = /^(\*|https?):\/\/([^/]+)(\/.*)$/.exec(pattern)!;
  const u = new URL(url);
  if (scheme === '*' ? !['http:', 'https:'].includes(u.protocol) : u.protocol !== `${scheme}:`) return false;
  if (host !== '*' && host !== u.host) return false;
  const glob = new RegExp(
    `^${path
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return glob.test(u.pathname + u.search);
}

const offered = (url: string) => SHARE_LINK_PATTERNS.some((pattern) => matches(pattern, url));

describe('the context menu’s link patterns', () => {
  it.each([
    'https://cloud.example/s/AbCdEf123456',
    'https://cloud.example/index.php/s/AbCdEf123456',
    'https://cloud.example/nextcloud/index.php/s/AbCdEf123456/',
    'http://127.0.0.2:8080/s/AbCdEf123456/authenticate/showShare',
    'https://ocis.example/s/AbCdEf123456/Photos',
    'https://ocis.example/files/link/public/AbCdEf123456/Photos',
    'https://ocis.example/web/files/upload/AbCdEf123456',
  ])('offer the entry on %s, a link parseShareUrl accepts', (url) => {
    expect(parseShareUrl(url)).not.toBeNull();
    expect(offered(url)).toBe(true);
  });

  it.each([
    'https://mail.example/inbox',
    'https://cloud.example/index.php/apps/files/',
    'ftp://cloud.example/s/AbCdEf123456',
  ])('do not offer it on %s', (url) => expect(offered(url)).toBe(false));
});
