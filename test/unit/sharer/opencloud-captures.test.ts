import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalRefusal } from '@/lib/instance/external-answer';
import { InstanceError } from '@/lib/instance/errors';
import type { SharerAnswer } from '@/lib/sharer/types';
import { confirmByPublicDav, interpretPublicDav, publicLinkAuth, shareInfoOf } from '@/lib/sharer/public-dav';
import { readTokenInfo } from '@/lib/sharer/tokeninfo';

// A real OpenCloud 0.1.0's answers (test/fixtures/captures/opencloud-0.1.0, see the README there): what tokeninfo and
// the public WebDAV say about a folder link, a file link, a password link, an internal link, a file drop, and unknown
// and deleted tokens, read by the extension's own parsers.

const DIR = path.resolve(import.meta.dirname, '../../fixtures/captures/opencloud-0.1.0');
const TOKENS = { folder: 'yDoZmSwPOPbklPP', file: 'wUfzLJmSrDBnUBl', password: 'WKAwGXTyWUDvHmv' };
const SHARER = 'http://127.0.0.1:9200';

/** A recorded raw response as the share tab hands it to the background: status and body. */
function answer(name: string): SharerAnswer {
  const text = readFileSync(path.join(DIR, `${name}.http`), 'utf8').replace(/\r\n/g, '\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  const blank = text.indexOf('\n\n');
  return { status, body: blank < 0 ? '' : text.slice(blank + 2).trim() };
}

function problemOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof InstanceError) return error.problem;
    throw error;
  }
  throw new Error('did not throw');
}

describe('tokeninfo of OpenCloud', () => {
  it('confirms open folder and file links, not password protected', () => {
    expect(readTokenInfo(answer('tokeninfo-folder-json'), TOKENS.folder)).toEqual({
      confirmed: true,
      isProtected: false,
    });
    expect(readTokenInfo(answer('tokeninfo-file-json'), TOKENS.file)).toEqual({ confirmed: true, isProtected: false });
  });

  it('cannot tell a password link from an unknown or deleted one: all three are undecided, not refused', () => {
    for (const name of ['tokeninfo-pw-json', 'tokeninfo-unknown-json', 'tokeninfo-deleted-json']) {
      expect(answer(name).body).toBe(answer('tokeninfo-pw-json').body);
      expect(readTokenInfo(answer(name), TOKENS.password)).toBe('undecided');
    }
  });

  it('refuses an internal link (logged-in users only): no other server can read it', () => {
    expect(readTokenInfo(answer('tokeninfo-internal-json'), 'qsAISkYsDDXxKfc')).toEqual({
      confirmed: false,
      reason: 'internal-link',
    });
  });
});

describe('the public WebDAV decides what tokeninfo cannot (as the web client does)', () => {
  it('401 without a password is a password link; 404 is no link; 207 an open one', () => {
    expect(confirmByPublicDav(answer('public-dav-pw-anon'))).toEqual({ confirmed: true, isProtected: true });
    expect(confirmByPublicDav(answer('public-dav-unknown'))).toEqual({ confirmed: false, reason: 'unknown-link' });
    expect(confirmByPublicDav(answer('public-dav-deleted'))).toEqual({ confirmed: false, reason: 'unknown-link' });
    expect(confirmByPublicDav(answer('public-dav-folder-d0'))).toEqual({ confirmed: true, isProtected: false });
  });

  it("an internal link's 401 (Bearer wanted) is not taken for a password link", () => {
    expect(confirmByPublicDav(answer('public-dav-internal'))).toEqual({ confirmed: false, reason: 'internal-link' });
    expect(problemOf(() => interpretPublicDav(answer('public-dav-internal'), false, SHARER))).toEqual({
      code: 'sharer-cannot-federate',
      server: SHARER,
    });
  });

  it('a folder link: its root has a file id, mounted under the token (no anonymous answer names it)', () => {
    const root = interpretPublicDav(answer('public-dav-folder-d0'), false, SHARER);
    expect(shareInfoOf(root, TOKENS.folder)).toEqual({ name: TOKENS.folder, isFolder: true });
    // With the children listed, still a folder.
    expect(shareInfoOf(interpretPublicDav(answer('public-dav-folder-d1'), false, SHARER), TOKENS.folder)).toEqual({
      name: TOKENS.folder,
      isFolder: true,
    });
  });

  it('a file link: a root without a file id, whose listing holds the one file', () => {
    expect(shareInfoOf(interpretPublicDav(answer('public-dav-file-d0'), false, SHARER), TOKENS.file)).toBe(
      'list-children',
    );
    expect(shareInfoOf(interpretPublicDav(answer('public-dav-file-d1'), false, SHARER), TOKENS.file)).toEqual({
      name: 'report.txt',
      isFolder: false,
    });
  });

  it('a password link opens with public:PASSWORD; without it or with a wrong one the user is told which', () => {
    expect(problemOf(() => interpretPublicDav(answer('public-dav-pw-anon'), false, SHARER))).toEqual({
      code: 'password-needed',
    });
    expect(problemOf(() => interpretPublicDav(answer('public-dav-pw-wrong'), true, SHARER))).toEqual({
      code: 'password-wrong',
    });
    expect(shareInfoOf(interpretPublicDav(answer('public-dav-pw-ok'), true, SHARER), TOKENS.password)).toEqual({
      name: TOKENS.password,
      isFolder: true,
    });
    expect(atob(publicLinkAuth('Secret-123!').replace('Basic ', ''))).toBe('public:Secret-123!');
  });

  it('a deleted or unknown link is gone, a file drop has nothing to add', () => {
    expect(problemOf(() => interpretPublicDav(answer('public-dav-deleted'), false, SHARER))).toEqual({
      code: 'link-gone',
      server: SHARER,
    });
    expect(problemOf(() => interpretPublicDav(answer('public-dav-unknown'), true, SHARER))).toEqual({
      code: 'link-gone',
      server: SHARER,
    });
    expect(problemOf(() => interpretPublicDav(answer('public-dav-filedrop-d1'), false, SHARER))).toEqual({
      code: 'link-is-file-drop',
    });
  });

  it('an unreachable sharer or garbage is not taken for an answer', () => {
    expect(() => interpretPublicDav({ status: 0, body: '' }, false, SHARER)).toThrow(InstanceError);
    expect(() => interpretPublicDav({ status: 207, body: '<html>' }, false, SHARER)).toThrow(InstanceError);
  });
});

describe('the companion’s refusals of an OpenCloud link, as the extension reads them', () => {
  it('a deleted link is "gone", not a wrong password (OpenCloud tells them apart, 404 vs 401)', () => {
    expect(externalRefusal({ message: 'The public link does not exist (any more)' }, SHARER).problem).toEqual({
      code: 'link-gone',
      server: SHARER,
    });
    expect(
      externalRefusal({ message: 'Could not authenticate to federated share, password might be wrong' }, SHARER)
        .problem,
    ).toEqual({ code: 'password-wrong' });
  });
});

describe('why nothing can be added into OpenCloud from here (docs/server.md, recorded answers)', () => {
  const errorOf = (name: string) => {
    const { status, body } = answer(name);
    return { status, ...(JSON.parse(body) as { code: string; message: string }) };
  };

  it('refuses OCM shares from a provider its administrator did not list, in either body shape', () => {
    expect(errorOf('ocm-shares-minimal-v11')).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
      message: 'provider not authorized',
    });
    expect(errorOf('ocm-shares-minimal')).toMatchObject({ status: 400, code: 'INVALID_PARAMETER' });
    expect(errorOf('ocm-shares-minimal').message).toContain('protocol options not supported');
  });

  it('refuses even the accepted invitation of an unlisted provider, and lists none out of the box', () => {
    expect(errorOf('ocm-invite-accepted-bogus')).toMatchObject({
      status: 403,
      code: 'UNTRUSTED_SERVICE',
      message: 'provider not trusted',
    });
    expect(answer('sciencemesh-list-providers')).toEqual({ status: 200, body: '[]' });
    // The user can make an invite; it is only the other half that needs the administrator.
    expect(JSON.parse(answer('sciencemesh-generate-invite').body)).toHaveProperty('token');
  });

  it('has no endpoint to mount or push a link (so only the companion can read its links)', () => {
    expect(answer('external-add').status).toBe(404);
    expect(answer('createfed').status).toBe(401);
  });
});
