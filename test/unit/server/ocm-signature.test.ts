// @vitest-environment node
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkSignature,
  hostIdentity,
  signRequest,
  type IncomingRequest,
  type SigningKey,
} from '@/lib/server/federation/signature';
import {
  KEY_FILE,
  localKeyId,
  localSigningKey,
  PeerKeyCache,
  PeerKeyUnavailableError,
  type PeerKey,
} from '@/lib/server/federation/keys';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/ocm-signatures');

/** A request as the logging proxy recorded it: request line, headers, blank line, body (Content-Length bytes). */
function recordedRequest(file: string): IncomingRequest {
  const text = readFileSync(path.join(FIXTURES, file), 'utf8');
  const split = text.indexOf('\n\n');
  const [requestLine = '', ...headerLines] = text.slice(0, split).split('\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines)
    headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
  const [method = '', target = ''] = requestLine.split(' ');
  const body = Buffer.from(text.slice(split + 2), 'utf8').subarray(0, Number(headers['content-length']));
  return { method, target, headers, body };
}

const publicKeyOf = (port: string): PeerKey =>
  (JSON.parse(readFileSync(path.join(FIXTURES, `ocm-provider-${port}.json`), 'utf8')) as { publicKey: PeerKey })
    .publicKey;

function verified(request: IncomingRequest, publicKeyPem: string, now: number): boolean | string {
  const check = checkSignature(request, now);
  if (check.kind === 'invalid') return check.reason;
  if (check.kind === 'unsigned') return 'unsigned';
  return check.verifyWith(publicKeyPem);
}

function newKey(keyId = 'https://a.example:8443/ocm#signature'): SigningKey & { publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { keyId, privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** What a receiver sees of a request signed with `signRequest` and sent by fetch to `url`. */
function asReceived(url: string, body: string, signed: Record<string, string>): IncomingRequest {
  const target = new URL(url);
  const headers: Record<string, string> = {
    host: target.host,
    'content-length': String(Buffer.byteLength(body)),
    'content-type': 'application/json',
  };
  for (const [name, value] of Object.entries(signed)) headers[name.toLowerCase()] = value;
  return { method: 'POST', target: `${target.pathname}${target.search}`, headers, body: Buffer.from(body) };
}

describe('verifying real Nextcloud 31 signatures (recorded between two Nextcloud 31.0.2 servers)', () => {
  const share = recordedRequest('share-from-8131.http');
  const notification = recordedRequest('notification-from-8132.http');
  const shareTime = Date.parse('Mon, 30 Nov 2026 14:50:34 GMT');
  const notificationTime = Date.parse('Mon, 30 Nov 2026 14:50:40 GMT');

  it("accepts the OCM share nina's server signed, with the key of its /ocm-provider/", () => {
    const check = checkSignature(share, shareTime + 2000);
    expect(check).toMatchObject({
      kind: 'signed',
      keyId: 'https://127.0.0.1:8131/ocm#signature',
      origin: '127.0.0.1:8131',
    });
    expect(verified(share, publicKeyOf('8131').publicKeyPem, shareTime + 2000)).toBe(true);
  });

  it("accepts the SHARE_ACCEPTED notification nick's server signed", () => {
    expect(checkSignature(notification, notificationTime)).toMatchObject({ kind: 'signed', origin: '127.0.0.1:8132' });
    expect(verified(notification, publicKeyOf('8132').publicKeyPem, notificationTime)).toBe(true);
  });

  it("refuses them with the other server's key, once changed, or 300 s after their date", () => {
    expect(verified(share, publicKeyOf('8132').publicKeyPem, shareTime)).toBe(false);
    const otherBody = Buffer.from(share.body.toString().replace('"Fed Folder"', '"Fed Foldex"'));
    expect(verified({ ...share, body: otherBody }, publicKeyOf('8131').publicKeyPem, shareTime)).toBe(
      'digest does not match the body',
    );
    expect(verified({ ...share, target: '/index.php/ocm/shares' }, publicKeyOf('8131').publicKeyPem, shareTime)).toBe(
      false,
    );
    expect(
      verified(
        { ...share, headers: { ...share.headers, host: '127.0.0.1:9999' } },
        publicKeyOf('8131').publicKeyPem,
        shareTime,
      ),
    ).toBe(false);
    expect(verified(share, publicKeyOf('8131').publicKeyPem, shareTime + 300_000)).toBe(true);
    expect(verified(share, publicKeyOf('8131').publicKeyPem, shareTime + 300_001)).toBe('date is too old');
  });
});

describe('signing outgoing OCM requests like Nextcloud 31', () => {
  const key = newKey();
  const url = 'http://127.0.0.1:8132/ocm/shares';
  const body = JSON.stringify({
    shareWith: 'nick@http://127.0.0.1:8132',
    owner: 'alice@http://a.example:8443',
    name: 'Ünïcode',
  });
  const now = new Date('2026-11-30T14:50:34Z');
  const signed = signRequest({ method: 'POST', url, body }, key, now);

  it("sends date, a SHA-512 digest and a Signature header in Nextcloud's format", () => {
    expect(signed.date).toBe('Mon, 30 Nov 2026 14:50:34 GMT');
    expect(signed.digest).toMatch(/^SHA-512=[A-Za-z0-9+/]{86}==$/);
    expect(signed.Signature).toMatch(
      /^keyId="https:\/\/a\.example:8443\/ocm#signature",algorithm="rsa-sha512",headers="\(request-target\) content-length date digest host",signature="[A-Za-z0-9+/=]+"$/,
    );
  });

  it('round-trips: the receiver verifies it with our public key', () => {
    expect(verified(asReceived(url, body, signed), key.publicKeyPem, now.getTime())).toBe(true);
  });

  it('fails on a changed body, a changed signed header, a wrong key and an old date', () => {
    const received = asReceived(url, body, signed);
    const tamperedBody = { ...received, body: Buffer.from(body.replace('alice', 'bobby')) };
    expect(verified(tamperedBody, key.publicKeyPem, now.getTime())).toBe('digest does not match the body');
    // The digest recomputed by an attacker still breaks the signature.
    const recomputed = asReceived(url, body.replace('alice', 'bobby'), {
      ...signed,
      digest: signRequest({ method: 'POST', url, body: body.replace('alice', 'bobby') }, key, now).digest ?? '',
    });
    expect(verified(recomputed, key.publicKeyPem, now.getTime())).toBe(false);
    expect(
      verified(
        { ...received, headers: { ...received.headers, date: 'Mon, 30 Nov 2026 14:50:35 GMT' } },
        key.publicKeyPem,
        now.getTime(),
      ),
    ).toBe(false);
    expect(verified({ ...received, target: '/ocm/notifications' }, key.publicKeyPem, now.getTime())).toBe(false);
    expect(verified(received, newKey().publicKeyPem, now.getTime())).toBe(false);
    expect(verified(received, 'not a key', now.getTime())).toBe(false);
    expect(verified(received, key.publicKeyPem, now.getTime() + 301_000)).toBe('date is too old');
  });

  it('refuses a date further ahead than the age limit (it would stay replayable), tolerating clock skew', () => {
    const received = asReceived(url, body, signed);
    expect(verified(received, key.publicKeyPem, now.getTime() - 299_000)).toBe(true);
    expect(verified(received, key.publicKeyPem, now.getTime() - 301_000)).toBe('date is in the future');
  });

  it('refuses signatures that leave out a required header, and malformed ones', () => {
    const received = asReceived(url, body, signed);
    const without = (name: string) =>
      signed.Signature?.replace(
        `headers="(request-target) content-length date digest host"`,
        `headers="${['(request-target)', 'content-length', 'date', 'digest', 'host'].filter((h) => h !== name).join(' ')}"`,
      ) ?? '';
    for (const name of ['(request-target)', 'content-length', 'date', 'digest', 'host']) {
      expect(
        verified(
          { ...received, headers: { ...received.headers, signature: without(name) } },
          key.publicKeyPem,
          now.getTime(),
        ),
      ).toBe(`signature does not cover ${name}`);
    }
    expect(
      verified(
        { ...received, headers: { ...received.headers, 'content-length': '3' } },
        key.publicKeyPem,
        now.getTime(),
      ),
    ).toBe('content-length does not match the body');
    expect(
      verified({ ...received, headers: { ...received.headers, digest: 'MD5=xyz' } }, key.publicKeyPem, now.getTime()),
    ).toBe('unknown digest algorithm');
    expect(
      verified({ ...received, headers: { ...received.headers, date: 'yesterday' } }, key.publicKeyPem, now.getTime()),
    ).toBe('missing or unreadable date');
    expect(
      verified(
        { ...received, headers: { ...received.headers, signature: 'garbage' } },
        key.publicKeyPem,
        now.getTime(),
      ),
    ).toBe('keyId, headers or signature missing');
    expect(
      verified(
        {
          ...received,
          headers: { ...received.headers, signature: signed.Signature?.replace('rsa-sha512', 'hmac-sha256') ?? '' },
        },
        key.publicKeyPem,
        now.getTime(),
      ),
    ).toBe('unsupported algorithm');
    expect(
      verified(
        {
          ...received,
          headers: {
            ...received.headers,
            signature: signed.Signature?.replace(/keyId="[^"]*"/, 'keyId="mykey"') ?? '',
          },
        },
        key.publicKeyPem,
        now.getTime(),
      ),
    ).toBe('keyId is not a URL');
    const { signature: _, ...unsigned } = received.headers;
    expect(verified({ ...received, headers: unsigned }, key.publicKeyPem, now.getTime())).toBe('unsigned');
  });
});

describe('identities and key ids', () => {
  it('names a server by host and port, whatever the scheme or path', () => {
    expect(hostIdentity('https://127.0.0.1:8131/ocm#signature')).toBe('127.0.0.1:8131');
    expect(hostIdentity('http://127.0.0.1:8131')).toBe('127.0.0.1:8131');
    expect(hostIdentity('Cloud.Example.com/sub/dir')).toBe('cloud.example.com');
    expect(hostIdentity('[::1]:8080')).toBe('[::1]:8080');
    expect(hostIdentity('')).toBeUndefined();
    expect(hostIdentity('user@host')).toBeUndefined();
  });

  it('gives one server one identity however it is spelled (a pinned key must not be dodged by a new spelling)', () => {
    for (const spelling of [
      'cloud.example.com',
      'https://cloud.example.com:443/',
      'cloud.example.com.',
      'cloud.example.com:80',
    ])
      expect(hostIdentity(spelling), spelling).toBe('cloud.example.com');
    expect(hostIdentity('https://CLOUD.example.com.:0443/ocm#signature')).toBe('cloud.example.com');
    expect(hostIdentity('127.0.0.1:08131')).toBe('127.0.0.1:8131');
    expect(hostIdentity('[::1]:443')).toBe('[::1]');
  });

  it('builds our keyId like Nextcloud: https, host, port and sub-path of the public URL', () => {
    expect(localKeyId('http://127.0.0.1:8201')).toBe('https://127.0.0.1:8201/ocm#signature');
    expect(localKeyId('https://cloud.example.com/companion/')).toBe(
      'https://cloud.example.com/companion/ocm#signature',
    );
  });
});

describe("the node's own key", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('is made once, kept in the data directory readable only by the owner, and used after a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'atc-key-'));
    dirs.push(dataDir);
    const first = await localSigningKey({ dataDir, publicUrl: 'http://127.0.0.1:8201' });
    expect(first.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    expect(first.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(statSync(path.join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = await localSigningKey({ dataDir, publicUrl: 'http://127.0.0.1:8201' });
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
    const signed = signRequest({ method: 'POST', url: 'http://b.example/ocm/shares', body: '{}' }, first);
    expect(verified(asReceived('http://b.example/ocm/shares', '{}', signed), first.publicKeyPem, Date.now())).toBe(
      true,
    );
  });
});

describe("the cache of peers' keys", () => {
  const KEY: PeerKey = { keyId: 'https://p.example/ocm#signature', publicKeyPem: 'PEM' };

  function setup(answers: (PeerKey | undefined | Error)[]) {
    let clock = 0;
    const asked: string[] = [];
    const lookup = async (identity: string) => {
      asked.push(identity);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    };
    const cache = new PeerKeyCache({ maxEntries: 3 }, () => clock);
    return {
      asked,
      cache,
      get: (identity: string) => cache.get(identity, lookup),
      refresh: (identity: string) => cache.refresh(identity, lookup),
      advance: (ms: number) => (clock += ms),
    };
  }

  it('asks a peer once per TTL, and again after it', async () => {
    const { get, asked, advance } = setup([KEY, KEY]);
    expect(await get('p.example')).toEqual(KEY);
    advance(3_599_000);
    expect(await get('p.example')).toEqual(KEY);
    expect(asked).toHaveLength(1);
    advance(2000);
    await get('p.example');
    expect(asked).toHaveLength(2);
  });

  it('keeps a known key while the peer is unreachable, and has no answer for a peer never reached', async () => {
    const { get, advance } = setup([KEY, new Error('down'), new Error('down')]);
    await get('p.example');
    advance(3_700_000);
    expect(await get('p.example')).toEqual(KEY);
    await expect(get('q.example')).rejects.toBeInstanceOf(PeerKeyUnavailableError);
  });

  it('never takes a failed lookup for "no key": unknown for a minute, then asked again', async () => {
    const { get, asked, advance } = setup([new Error('down'), undefined]);
    await expect(get('q.example')).rejects.toBeInstanceOf(PeerKeyUnavailableError);
    advance(59_000);
    await expect(get('q.example')).rejects.toBeInstanceOf(PeerKeyUnavailableError);
    expect(asked).toHaveLength(1);
    advance(2000);
    expect(await get('q.example')).toBeUndefined();
    expect(asked).toHaveLength(2);
  });

  it('forgets "no key" once its TTL is over and the peer cannot be asked', async () => {
    const { get, asked, advance } = setup([undefined, new Error('down')]);
    expect(await get('oc10.example')).toBeUndefined();
    advance(599_000);
    expect(await get('oc10.example')).toBeUndefined();
    advance(2000);
    await expect(get('oc10.example')).rejects.toBeInstanceOf(PeerKeyUnavailableError);
    expect(asked).toHaveLength(2);
  });

  it('shares one request between concurrent lookups, and refreshes at most once a minute', async () => {
    const { get, refresh, asked, advance } = setup([KEY, KEY, KEY]);
    await Promise.all([get('p.example'), get('p.example'), get('p.example')]);
    expect(asked).toHaveLength(1);
    await refresh('p.example');
    expect(asked).toHaveLength(1);
    advance(61_000);
    await refresh('p.example');
    expect(asked).toHaveLength(2);
  });

  it('learns from discoveries made for other reasons', async () => {
    const { cache, get, asked } = setup([]);
    cache.learn('p.example', KEY);
    cache.learn('oc10.example', undefined);
    expect(await get('p.example')).toEqual(KEY);
    expect(await get('oc10.example')).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('pins a key again at each lookup, so a pin in use stays among the newest (and comes back if dropped)', async () => {
    const saved: [string, number][] = [];
    const caps = new Set<number>();
    let clock = 0;
    const pins = {
      getPeerKey: async () => undefined,
      savePeerKey: async (identity: string, _key: PeerKey | undefined, seenAt: number, max: number) => {
        saved.push([identity, seenAt]);
        caps.add(max);
      },
    };
    const cache = new PeerKeyCache({}, () => clock, pins);
    const lookup = async () => KEY;
    await cache.get('p.example', lookup);
    cache.learn('p.example', KEY); // a discovery for another reason writes nothing new
    clock += 3_601_000;
    await cache.get('p.example', lookup);
    expect(saved).toEqual([
      ['p.example', 0],
      ['p.example', 3_601_000],
    ]);
    expect([...caps]).toEqual([10_000]); // the store's cap, not the memory cache's 1000
  });

  it('holds at most maxEntries peers, dropping the oldest', async () => {
    const { cache, get, asked } = setup([undefined, undefined, undefined, undefined, undefined]);
    for (const host of ['a', 'b', 'c', 'd']) await get(host);
    expect(cache.size).toBe(3);
    await get('a');
    expect(asked).toEqual(['a', 'b', 'c', 'd', 'a']);
  });
});
