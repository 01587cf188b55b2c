import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPANION_PRODUCT } from '@/lib/instance/server-status';
import { classifyStatus } from '@/lib/instance/status-php';
import { NEXTCLOUD_31_STATUS, OCIS_STATUS, OWNCLOUD_10_STATUS } from '../../fixtures/status-php';

describe('classifyStatus', () => {
  const companion = { ...OWNCLOUD_10_STATUS, productname: COMPANION_PRODUCT, product: COMPANION_PRODUCT };
  it.each([
    ['ownCloud 10', OWNCLOUD_10_STATUS, { kind: 'owncloud', version: '10.15.2', productName: 'ownCloud' }],
    [
      'ownCloud 10 with hidden version and theming',
      {
        ...OWNCLOUD_10_STATUS,
        version: '',
        versionstring: '',
        edition: '',
        productname: 'ACME Files',
        product: 'ACME Files',
      },
      { kind: 'owncloud', version: '', productName: 'ACME Files' },
    ],
    ['Nextcloud', NEXTCLOUD_31_STATUS, { kind: 'nextcloud', version: '31.0.4', productName: 'Nextcloud' }],
    [
      'rebranded Nextcloud',
      {
        ...NEXTCLOUD_31_STATUS,
        version: '30.0.1.2',
        versionstring: '30.0.1',
        productname: 'MagentaCLOUD',
        extendedSupport: true,
      },
      { kind: 'nextcloud', version: '30.0.1', productName: 'MagentaCLOUD' },
    ],
    ['oCIS', OCIS_STATUS, { kind: 'ocis', version: '7.1.2', productName: 'Infinite Scale' }],
    [
      'OpenCloud',
      { ...OCIS_STATUS, edition: '', productname: 'OpenCloud', product: 'OpenCloud', productversion: '2.0.0' },
      { kind: 'ocis', version: '2.0.0', productName: 'OpenCloud' },
    ],
    ['the companion server', companion, { kind: 'companion', productName: COMPANION_PRODUCT }],
    [
      'the companion server with its own release',
      { ...companion, companionVersion: '0.1.0' },
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
