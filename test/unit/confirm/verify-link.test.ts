import { describe, expect, it } from 'vitest';
import { verifyLinkWithSharer } from '@/lib/confirm/verify-link';
import type { SharerAnswer, SharerRequest } from '@/lib/sharer/types';
import { parseShareUrl } from '@/lib/share/url';
import { OCIS_STATUS, OWNCLOUD_10_STATUS } from '../../fixtures/status-php';

const TOKEN = 'AbCdEf123456';
const url = parseShareUrl(`https://alice.example/s/${TOKEN}`)!;

/** A sharer that answers each fixed request from a table, and records what it was asked. */
function sharer(answers: Partial<Record<SharerRequest['op'], SharerAnswer>>) {
  const asked: SharerRequest[] = [];
  const ask = async (request: SharerRequest) => {
    asked.push(request);
    return answers[request.op] ?? { status: 404, body: '' };
  };
  return { ask, asked };
}
const json = (status: number, body: unknown): SharerAnswer => ({ status, body: JSON.stringify(body) });

describe('verifying a link with its own server (context menu)', () => {
  it('takes the family from status.php and name and kind from shareinfo, asked without a password', async () => {
    const s = sharer({
      status: json(200, OWNCLOUD_10_STATUS),
      shareinfo: json(200, { data: { name: 'Photos', type: 'dir' } }),
    });
    expect(await verifyLinkWithSharer(url, s.ask)).toEqual({
      ok: true,
      claims: { kind: 'owncloud', name: 'Photos', isFolder: true, isProtected: false, canFederate: true },
    });
    expect(s.asked).toEqual([{ op: 'status' }, { op: 'shareinfo', token: TOKEN, password: '' }]);
  });

  it('reads a 403 to the password-less shareinfo as a protected link (the confirmation asks for the password)', async () => {
    const s = sharer({ status: json(200, OWNCLOUD_10_STATUS), shareinfo: { status: 403, body: '' } });
    expect(await verifyLinkWithSharer(url, s.ask)).toEqual({
      ok: true,
      claims: { kind: 'owncloud', isProtected: true, canFederate: true },
    });
  });

  it('refuses a link its server does not know, a server that is no cloud, and an unreachable one', async () => {
    expect(
      await verifyLinkWithSharer(
        url,
        sharer({ status: json(200, OWNCLOUD_10_STATUS), shareinfo: { status: 404, body: '' } }).ask,
      ),
    ).toEqual({ ok: false, why: 'unknown-link' });
    expect(
      await verifyLinkWithSharer(url, sharer({ status: { status: 200, body: '<html>webmail</html>' } }).ask),
    ).toEqual({ ok: false, why: 'not-a-cloud' });
    expect(await verifyLinkWithSharer(url, sharer({ status: { status: 0, body: '' } }).ask)).toEqual({
      ok: false,
      why: 'unreachable',
    });
  });

  it('confirms an oCIS token with tokeninfo, and refuses one the server answers for another token', async () => {
    const info = (token: string) =>
      json(200, { ocs: { meta: { statuscode: 200 }, data: { token, password_protected: true } } });
    const good = sharer({ status: json(200, OCIS_STATUS), tokeninfo: info(TOKEN) });
    expect(await verifyLinkWithSharer(url, good.ask)).toEqual({
      ok: true,
      claims: { kind: 'ocis', isProtected: true, canFederate: true },
    });
    expect(good.asked).toEqual([{ op: 'status' }, { op: 'tokeninfo', token: TOKEN }]);
    expect(
      await verifyLinkWithSharer(url, sharer({ status: json(200, OCIS_STATUS), tokeninfo: info('Other1234567') }).ask),
    ).toEqual({ ok: false, why: 'unknown-link' });
  });

  it('asks the public WebDAV where tokeninfo cannot tell, and tells an unreachable server from an unknown link', async () => {
    const undecided = json(200, { ocs: { meta: { statuscode: 996 } } });
    const verify = (publicdav: SharerAnswer, tokeninfo = undecided) =>
      verifyLinkWithSharer(url, sharer({ status: json(200, OCIS_STATUS), tokeninfo, publicdav }).ask);
    expect(await verify({ status: 401, body: '' })).toEqual({
      ok: true,
      claims: { kind: 'ocis', isProtected: true, canFederate: true },
    });
    expect(await verify({ status: 404, body: '' })).toEqual({ ok: false, why: 'unknown-link' });
    expect(await verify({ status: 0, body: '' })).toEqual({ ok: false, why: 'unreachable' });
    expect(await verify({ status: 404, body: '' }, { status: 0, body: '' })).toEqual({ ok: false, why: 'unreachable' });
  });
});
