import { describe, expect, it } from 'vitest';
import { safePath } from '@/lib/server/log';

// Issue 8, finding 11: share and Login Flow tokens must never reach a log line, whatever path form carries them.

const TOKEN = 'AbCdEfGh1234567';

describe('safePath', () => {
  it.each([
    [`/s/${TOKEN}`, '/s/[token]'],
    [`/s/${TOKEN}/download`, '/s/[token]/download'],
    [`/index.php/s/${TOKEN}/authenticate/showShare`, '/index.php/s/[token]/authenticate/showShare'],
    [`//s//${TOKEN}`, '//s//[token]'],
    [`/%73/${TOKEN}`, '/%73/[token]'],
    [`/s/${TOKEN}%2Fx`, '/s/[token]'],
    [`/publicpreview/${TOKEN}?x=32&y=32&file=a.png`, '/publicpreview/[token]'],
    [
      `/index.php/apps/files_sharing/publicpreview/${TOKEN}?file=/a.png`,
      '/index.php/apps/files_sharing/publicpreview/[token]',
    ],
    [`/apps/files_sharing/publicpreview/${TOKEN}`, '/apps/files_sharing/publicpreview/[token]'],
    [`/remote.php/dav/public-files/${TOKEN}/a.txt`, '/remote.php/dav/public-files/[token]/a.txt'],
    [`/public.php/dav/files/${TOKEN}/a.txt`, '/public.php/dav/files/[token]/a.txt'],
    [`/index.php/apps/files_sharing/shareinfo?t=${TOKEN}`, '/index.php/apps/files_sharing/shareinfo'],
    [`/public.php/webdav/a.txt`, '/public.php/webdav/a.txt'],
    [`/index.php/login/v2/flow/${TOKEN}`, '/index.php/login/v2/flow/[token]'],
    [`/login/v2/flow/${TOKEN}`, '/login/v2/flow/[token]'],
    [`/index.php/apps/files/?dir=/x&token=${TOKEN}`, '/index.php/apps/files/'],
  ])('%s → %s', (input, expected) => {
    expect(safePath(input)).toBe(expected);
    expect(safePath(input)).not.toContain(TOKEN);
  });

  it('leaves other paths alone (a user folder named "s" hides its child in logs too, which is harmless)', () => {
    expect(safePath('/remote.php/dav/files/alice/s/notes.txt')).toBe('/remote.php/dav/files/alice/s/[token]');
    expect(safePath('/ocs/v2.php/apps/files_sharing/api/v1/shares/12')).toBe(
      '/ocs/v2.php/apps/files_sharing/api/v1/shares/12',
    );
    expect(safePath('/status.php')).toBe('/status.php');
  });
});
