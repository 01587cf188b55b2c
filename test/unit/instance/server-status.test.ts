import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPANION_PRODUCT } from '@/lib/instance/server-status';
import { classifyStatus } from '@/lib/instance/status-php';

describe('classifyStatus', () => {
  it.each([
    [
      'ownCloud 10',
      {
        installed: true,
        maintenance: false,
        needsDbUpgrade: false,
        version: '10.15.2.0',
        versionstring: '10.15.2',
        edition: 'Community',
        productname: 'ownCloud',
        product: 'ownCloud',
      },
      { kind: 'owncloud', version: '10.15.2', productName: 'ownCloud' },
    ],
    [
      'ownCloud 10 with hidden version and theming',
      {
        installed: true,
        maintenance: false,
        needsDbUpgrade: false,
        version: '',
        versionstring: '',
        edition: '',
        productname: 'ACME Files',
        product: 'ACME Files',
      },
      { kind: 'owncloud', version: '', productName: 'ACME Files' },
    ],
    [
      'Nextcloud',
      {
        installed: true,
        maintenance: false,
        needsDbUpgrade: false,
        version: '31.0.4.1',
        versionstring: '31.0.4',
        edition: '',
        productname: 'Nextcloud',
        extendedSupport: false,
      },
      { kind: 'nextcloud', version: '31.0.4', productName: 'Nextcloud' },
    ],
    [
      'rebranded Nextcloud',
      {
        installed: true,
        maintenance: false,
        needsDbUpgrade: false,
        version: '30.0.1.2',
        versionstring: '30.0.1',
        edition: '',
        productname: 'MagentaCLOUD',
        extendedSupport: true,
      },
      { kind: 'nextcloud', version: '30.0.1', productName: 'MagentaCLOUD' },
    ],
    [
      'oCIS',
      {
        installed: true,
        maintenance: false,
        needsDbUpgrade: false,
        version: '10.11.0.0',
        versionstring: '10.11.0',
        edition: 'Community',
        productname: 'Infinite Scale',
        product: 'Infinite Scale',
        productversion: '7.1.2',
      },
      { kind: 'ocis', version: '7.1.2', productName: 'Infinite Scale' },
    ],
    [
      'OpenCloud',
      {
        installed: true,
        maintenance: false,
        needsDbUpgrade: false,
        version: '10.11.0.0',
        versionstring: '10.11.0',
        edition: '',
        productname: 'OpenCloud',
        product: 'OpenCloud',
        productversion: '2.0.0',
      },
      { kind: 'ocis', version: '2.0.0', productName: 'OpenCloud' },
    ],
    [
      'the companion server',
      {
        installed: true,
        maintenance: false,
        needsDbUpgrade: false,
        version: '10.15.2.0',
        versionstring: '10.15.2',
        edition: 'Community',
        productname: COMPANION_PRODUCT,
        product: COMPANION_PRODUCT,
      },
      { kind: 'companion', productName: COMPANION_PRODUCT },
    ],
    [
      'the companion server with its own release',
      {
        installed: true,
        maintenance: false,
        needsDbUpgrade: false,
        version: '10.15.2.0',
        versionstring: '10.15.2',
        edition: 'Community',
        productname: COMPANION_PRODUCT,
        product: COMPANION_PRODUCT,
        companionVersion: '0.1.0',
      },
      { kind: 'companion', version: '0.1.0', productName: COMPANION_PRODUCT },
    ],
  ])('recognises %s', (_what, body, expected) => {
    const result = classifyStatus(body);
    expect(result.ok && result.status).toMatchObject(expected);
  });

  it('reports maintenance mode', () => {
    const result = classifyStatus({
      installed: true,
      maintenance: true,
      version: '1',
      versionstring: '1',
      product: 'ownCloud',
    });
    expect(result.ok && result.status.maintenance).toBe(true);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'ok'],
    ['an HTML-ish object', { html: '<html>' }],
    ['installed as a string', { installed: 'true', version: '1', versionstring: '1' }],
  ])('refuses %s with a clear error', (_what, body) => {
    const result = classifyStatus(body);
    expect(result).toEqual({ ok: false, reason: 'not-a-cloud' });
  });

  it('says when the server is not installed', () => {
    expect(classifyStatus({ installed: false, version: '', versionstring: '' })).toEqual({
      ok: false,
      reason: 'not-installed',
    });
  });

  const capture = path.resolve(import.meta.dirname, '../../fixtures/captures/owncloud-10.15.2/status-8101.http');
  it('recognises the real ownCloud 10.15.2 status.php', () => {
    const raw = readFileSync(capture, 'utf8');
    const body = JSON.parse(
      raw.slice(raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') + 4 : raw.indexOf('\n\n') + 2),
    );
    expect(classifyStatus(body)).toEqual({
      ok: true,
      status: { kind: 'owncloud', version: '10.15.2', productName: 'ownCloud', maintenance: false },
    });
  });
});
