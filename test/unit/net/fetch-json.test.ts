import { describe, expect, it } from 'vitest';
import { fetchJson, FetchError } from '@/lib/net/fetch-json';
import { parseTokenInfo, tokenInfoUrl } from '@/lib/share/tokeninfo';

const respond = (body: string, status = 200): typeof fetch =>
  (async () => new Response(body, { status, headers: { 'Content-Type': 'application/json' } })) as typeof fetch;

describe('fetchJson', () => {
  it('returns the parsed body and sends no cookies', async () => {
    let init: RequestInit | undefined;
    const spy = (async (_url: string, options?: RequestInit) => {
      init = options;
      return new Response('{"ok":true}');
    }) as typeof fetch;
    expect(await fetchJson('https://cloud.example.com/status.php', { fetchImpl: spy })).toEqual({ ok: true });
    expect(init?.credentials).toBe('omit');
    expect((init?.headers as Record<string, string>)['OCS-APIRequest']).toBe('true');
  });

  it('turns HTTP errors, garbage and unreachable servers into clear errors', async () => {
    await expect(fetchJson('https://x.example', { fetchImpl: respond('{}', 503) })).rejects.toThrow('The server answered with HTTP 503.');
    await expect(fetchJson('https://x.example', { fetchImpl: respond('<html>oops</html>') })).rejects.toThrow(
      'The server answered with something that is not JSON.',
    );
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(fetchJson('https://x.example', { fetchImpl: down })).rejects.toThrow('The server could not be reached.');
  });

  it('gives up on a server that never answers', async () => {
    const silent = ((_url: string, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))) as typeof fetch;
    const error = await fetchJson('https://x.example', { fetchImpl: silent, timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as Error).message).toBe('The server did not answer in time.');
  });
});

describe('oCIS tokeninfo', () => {
  it('builds the unauthenticated endpoint under the base path, with the token encoded', () => {
    expect(tokenInfoUrl('https://ocis.example', '/web', 'AbC123')).toBe(
      'https://ocis.example/web/ocs/v1.php/apps/files_sharing/api/v1/tokeninfo/unprotected/AbC123?format=json',
    );
  });

  it('confirms only a well-formed answer naming the same token', () => {
    const ok = { ocs: { meta: { statuscode: 100 }, data: { token: 'AbC123', password_protected: 'true' } } };
    expect(parseTokenInfo(ok, 'AbC123')).toEqual({ confirmed: true, isProtected: true });
    expect(parseTokenInfo({ ocs: { meta: { statuscode: 200 }, data: { token: 'AbC123', password_protected: false } } }, 'AbC123')).toEqual({
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
