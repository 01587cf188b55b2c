import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shareMailto } from '@/components/share-out/mail';
import { generatePassword } from '@/lib/share-out/password';
import {
  checkLinkRequest,
  linkKind,
  linkPermissionBits,
  parseLinkPolicy,
  type LinkPolicy,
} from '@/lib/share-out/policy';

const nextcloudEnforced = {
  files_sharing: {
    public: {
      enabled: true,
      password: { enforced: true, askForOptionalPassword: false },
      expire_date: { enabled: true, days: 7, enforced: true },
      upload: true,
    },
  },
};

describe('parseLinkPolicy', () => {
  it('reads Nextcloud’s single password flag and enforced expiry', () => {
    expect(parseLinkPolicy(nextcloudEnforced)).toEqual({
      enabled: true,
      passwordRequired: { view: true, 'view-upload': true, 'upload-only': true },
      expiry: { defaultDays: 7, enforced: true, maxDays: 7 },
      uploadAllowed: true,
    });
  });

  it('reads ownCloud’s per-permission password rules', () => {
    const policy = parseLinkPolicy({
      files_sharing: {
        public: {
          enabled: true,
          password: { enforced_for: { read_only: false, read_write: true, upload_only: true }, enforced: false },
          expire_date: { enabled: false },
          upload: true,
        },
      },
    });
    expect(policy.passwordRequired).toEqual({ view: false, 'view-upload': true, 'upload-only': true });
    expect(policy.expiry).toEqual({ enforced: false });
  });

  it('trusts enforced_for over the summary flag ownCloud 10 sets when any one kind is enforced', () => {
    // ownCloud 10 with a password enforced for file drops only publishes enforced: true as well.
    const policy = parseLinkPolicy({
      files_sharing: {
        public: {
          enabled: true,
          password: {
            enforced_for: { read_only: false, read_write: false, upload_only: true, read_write_delete: true },
            enforced: true,
          },
          upload: true,
        },
      },
    });
    // read_write_delete (15) is a kind we never send: view+upload is read_write (5).
    expect(policy.passwordRequired).toEqual({ view: false, 'view-upload': false, 'upload-only': true });
  });

  it('without enforced_for (Nextcloud), the one flag covers every kind', () => {
    const policy = parseLinkPolicy({ files_sharing: { public: { enabled: true, password: { enforced: true } } } });
    expect(policy.passwordRequired).toEqual({ view: true, 'view-upload': true, 'upload-only': true });
  });

  it('treats missing or garbage capabilities as links off', () => {
    for (const garbage of [null, undefined, 'x', {}, { files_sharing: 5 }]) {
      expect(parseLinkPolicy(garbage).enabled).toBe(false);
    }
  });

  const capabilities = (server: string, name: string) => {
    const raw = readFileSync(path.resolve(import.meta.dirname, `../../fixtures/captures/${server}/${name}`), 'utf8');
    return JSON.parse(raw.slice(raw.search(/\r?\n\r?\n/)).trim()).ocs.data.capabilities as unknown;
  };
  it('reads the real ownCloud 10.15.2 capabilities', () => {
    expect(parseLinkPolicy(capabilities('owncloud-10.15.2', 'capabilities-alice-json.http'))).toEqual({
      enabled: true,
      passwordRequired: { view: false, 'view-upload': false, 'upload-only': false },
      expiry: { enforced: false },
      uploadAllowed: true,
    });
  });

  it('reads the real Nextcloud 31.0.2 capabilities', () => {
    expect(parseLinkPolicy(capabilities('nextcloud-31.0.2', 'capabilities-nina-json.http'))).toMatchObject({
      enabled: true,
      passwordRequired: { view: false, 'view-upload': false, 'upload-only': false },
      expiry: { enforced: false },
    });
  });
});

describe('link permissions per server generation', () => {
  it('sends read+create for view+upload, never the edit-and-delete 15', () => {
    for (const kind of ['owncloud', 'nextcloud', 'companion'] as const) {
      expect([
        linkPermissionBits('view', kind),
        linkPermissionBits('view-upload', kind),
        linkPermissionBits('upload-only', kind),
      ]).toEqual([1, 5, 4]);
    }
  });

  it('names what an existing link lets visitors do, including links made elsewhere', () => {
    // 31 and 21: Nextcloud adds the share bit (16); 15 is ownCloud's "Download / View / Edit".
    expect([1, 17, 5, 21, 4, 15, 31, 3].map(linkKind)).toEqual([
      'view',
      'view',
      'view-upload',
      'view-upload',
      'upload-only',
      'edit',
      'edit',
      'edit',
    ]);
  });
});

describe('checkLinkRequest', () => {
  const policy: LinkPolicy = parseLinkPolicy(nextcloudEnforced);
  const today = new Date(Date.UTC(2026, 10, 27, 15));
  const ok = { isFolder: true, permissions: 'view' as const, password: 'pw', expireDate: '2026-12-01' };

  it('accepts a request inside the rules', () => {
    expect(checkLinkRequest(policy, ok, today)).toEqual([]);
    expect(checkLinkRequest(policy, { ...ok, expireDate: '2026-12-04' }, today)).toEqual([]);
  });

  // Codes, not words: the link form says them (components/share-out/LinkForm.tsx).
  it.each([
    [{ password: '' }, 'password'],
    [{ expireDate: '' }, 'date-required'],
    [{ expireDate: '2026-12-05' }, 'date-too-far'],
    [{ expireDate: '2026-11-27' }, 'date-past'],
    [{ expireDate: '2026-02-30' }, 'date-invalid'],
    [{ expireDate: '27.11.2026' }, 'date-invalid'],
    [{ isFolder: false, permissions: 'upload-only' as const }, 'upload-file'],
  ])('names %j as %s', (change, code) => {
    expect(checkLinkRequest(policy, { ...ok, ...change }, today)).toContain(code);
  });
});

describe('generatePassword', () => {
  it('has the length asked for and one character of every class', () => {
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      expect(password).toHaveLength(20);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[2-9]/);
      expect(password).toMatch(/[-_.!?+=#%]/);
      expect(password).not.toMatch(/[0O1lI]/);
    }
  });

  it('differs every time and refuses impossible lengths', () => {
    expect(new Set(Array.from({ length: 20 }, () => generatePassword())).size).toBe(20);
    expect(() => generatePassword(3)).toThrow('at least 4 characters');
  });
});

describe('shareMailto', () => {
  it('names the item, link and expiry, and leaves the password out', () => {
    const mailto = shareMailto({
      itemName: 'Q4 & plans',
      isFolder: true,
      url: 'https://cloud.example.com/s/AbC123',
      expireDate: '2026-12-31',
      hasPassword: true,
      senderName: 'Alice',
    });
    const url = new URL(mailto);
    expect(url.protocol).toBe('mailto:');
    expect(url.searchParams.get('subject')).toBe('Alice shared “Q4 & plans” with you');
    const body = url.searchParams.get('body')!;
    expect(body).toContain('https://cloud.example.com/s/AbC123');
    expect(body).toContain('until Dec 31, 2026');
    expect(body).toContain('password, which you will receive separately');
    expect(body).not.toMatch(/pw|secret/i);
  });
});
