import { describe, expect, it } from 'vitest';
import { InstanceError } from '@/lib/instance/errors';
import { requestJson } from '@/lib/instance/http';

const respond = (body: string, status = 200): typeof fetch =>
  (async () => new Response(body, { status, headers: { 'Content-Type': 'application/json' } })) as typeof fetch;

describe('requestJson', () => {
  it('returns the parsed body and sends no cookies', async () => {
    let init: RequestInit | undefined;
    const spy = (async (_url: string, options?: RequestInit) => {
      init = options;
      return new Response('{"ok":true}');
    }) as typeof fetch;
    const body = await requestJson('https://cloud.example.com/status.php', {
      fetchImpl: spy,
      headers: { 'OCS-APIRequest': 'true' },
    });
    expect(body).toEqual({ ok: true });
    expect(init?.credentials).toBe('omit');
    expect((init?.headers as Record<string, string>)['OCS-APIRequest']).toBe('true');
  });

  it('turns HTTP errors, garbage and unreachable servers into clear errors', async () => {
    await expect(requestJson('https://x.example', { fetchImpl: respond('{}', 503) })).rejects.toMatchObject({
      code: 'server-error',
      status: 503,
    });
    await expect(requestJson('https://x.example', { fetchImpl: respond('{}', 429) })).rejects.toMatchObject({
      code: 'rejected',
      failure: 'throttled',
    });
    await expect(requestJson('https://x.example', { fetchImpl: respond('<html>oops</html>') })).rejects.toMatchObject({
      code: 'bad-response',
    });
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(requestJson('https://x.example', { fetchImpl: down })).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('gives up on a server that never answers', async () => {
    const silent = ((_url: string, init?: RequestInit) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      )) as typeof fetch;
    const error = await requestJson('https://x.example', { fetchImpl: silent, timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstanceError);
    expect((error as InstanceError).code).toBe('timeout');
    // No sentence in lib/: the words come from the UI's catalogue.
    expect((error as Error).message).toBe('timeout');
  });
});
