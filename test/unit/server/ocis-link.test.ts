// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@/lib/server/context';
import { Outbound } from '@/lib/server/federation/outbound';
import { isOcisStatus, isPublicFilesUrl, ocisLinkState, openOcisLink } from '@/lib/server/federation/ocis-link';
import { probeRemote } from '@/lib/server/federation/probe';
import {
  OC_LINKS,
  OC_PASSWORD,
  fakeOpenCloud,
  readOpenCloud,
  type FakeOpenCloud,
} from '../../integration/helpers/fake-opencloud';

// The companion's reading of Infinite Scale / OpenCloud links, in-process, against a fake OpenCloud on 127.0.0.1 that
// answers with a real OpenCloud 0.1.0's recorded answers (test/fixtures/captures/opencloud-0.1.0).

let opencloud: FakeOpenCloud;
const outbound = new Outbound({
  allowLocalRemotes: true,
  remoteTimeoutMs: 2000,
  publicUrl: 'https://cloud.example.org',
  host: '127.0.0.1',
  port: 8200,
});

beforeAll(async () => {
  opencloud = await fakeOpenCloud();
});
afterAll(async () => {
  await opencloud?.close();
});

describe('recognising the server', () => {
  it('takes OpenCloud and Infinite Scale by status.php, ownCloud 10 and Nextcloud not', () => {
    expect(isOcisStatus(JSON.parse(readOpenCloud('status').body))).toBe(true);
    expect(isOcisStatus({ installed: true, productname: 'Infinite Scale', productversion: '7.1.0' })).toBe(true);
    expect(isOcisStatus({ installed: true, productname: 'ownCloud', version: '10.15.2.2' })).toBe(false);
    expect(isOcisStatus({ installed: true, productname: 'Nextcloud', extendedSupport: false })).toBe(false);
  });

  it('the probe names its public-files WebDAV and asks neither ocs-provider nor ocm-provider', async () => {
    const before = opencloud.received.length;
    const probed = await probeRemote({ outbound } as unknown as App, opencloud.url);
    expect(probed).toEqual({
      base: opencloud.url,
      family: 'ocis',
      davUrl: `${opencloud.url}/remote.php/dav/public-files/`,
    });
    expect(opencloud.received.slice(before).map((r) => r.path)).toEqual(['/status.php']);
    expect(isPublicFilesUrl(`${probed.davUrl}${OC_LINKS.folder}/`)).toBe(true);
    expect(isPublicFilesUrl('https://oc.example/public.php/webdav/')).toBe(false);
  });
});

describe('what a link is', () => {
  it('tokeninfo settles open links; its 996 is settled by an anonymous PROPFIND (401 password, 404 missing)', async () => {
    expect(await ocisLinkState(outbound, opencloud.url, OC_LINKS.folder)).toBe('open');
    expect(await ocisLinkState(outbound, opencloud.url, OC_LINKS.password)).toBe('protected');
    expect(await ocisLinkState(outbound, opencloud.url, OC_LINKS.unknown)).toBe('missing');
    expect(await ocisLinkState(outbound, opencloud.url, OC_LINKS.internal)).toBe('internal');
    const probes = opencloud.received.filter((r) => r.method === 'PROPFIND');
    // The open link needed no PROPFIND, and the probes carried no credentials.
    expect(probes.some((r) => r.path.includes(OC_LINKS.folder))).toBe(false);
    expect(probes.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('a folder link is mounted at its root, a file link at its one file', async () => {
    expect(await openOcisLink(outbound, opencloud.url, OC_LINKS.folder, '')).toEqual({
      ok: true,
      itemType: 'folder',
      davUrl: `${opencloud.url}/remote.php/dav/public-files/${OC_LINKS.folder}/`,
    });
    expect(await openOcisLink(outbound, opencloud.url, OC_LINKS.file, '')).toEqual({
      ok: true,
      itemType: 'file',
      davUrl: `${opencloud.url}/remote.php/dav/public-files/${OC_LINKS.file}/report.txt`,
    });
  });

  it('a password link opens with public:PASSWORD only', async () => {
    expect(await openOcisLink(outbound, opencloud.url, OC_LINKS.password, 'wrong')).toEqual({ ok: false, status: 401 });
    expect(await openOcisLink(outbound, opencloud.url, OC_LINKS.password, OC_PASSWORD)).toMatchObject({
      ok: true,
      itemType: 'folder',
    });
    const last = opencloud.received.at(-1)!;
    expect(Buffer.from(last.authorization!.replace('Basic ', ''), 'base64').toString()).toBe(`public:${OC_PASSWORD}`);
  });
});
