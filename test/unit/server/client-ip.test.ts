import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { ClientAddresses, parseTrustedProxies } from '@/lib/server/http/client-ip';

// Issue 8, finding 10: forwarding headers are believed only from trusted proxies, and then only the right-most
// address that is not one of them (everything to its left was written by the client).

const request = (peer: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress: peer }, headers }) as unknown as IncomingMessage;

describe('client address', () => {
  const behindProxy = new ClientAddresses(parseTrustedProxies(['10.0.0.0/8', '::1,192.0.2.1']));
  const direct = new ClientAddresses([]);

  it('is the socket peer when there is no trusted proxy, whatever the headers say', () => {
    expect(direct.of(request('203.0.113.5', { 'x-forwarded-for': '1.2.3.4' }))).toBe('203.0.113.5');
    expect(behindProxy.of(request('203.0.113.5', { 'x-forwarded-for': '1.2.3.4', forwarded: 'for=1.2.3.4' }))).toBe(
      '203.0.113.5',
    );
    expect(direct.of(request('::ffff:203.0.113.5'))).toBe('203.0.113.5');
  });

  it('is the right-most untrusted X-Forwarded-For hop behind a trusted proxy', () => {
    expect(behindProxy.of(request('10.1.2.3', { 'x-forwarded-for': '198.51.100.7' }))).toBe('198.51.100.7');
    expect(behindProxy.of(request('::ffff:10.1.2.3', { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.9.9.9' }))).toBe(
      '198.51.100.7',
    );
    expect(behindProxy.of(request('::1', { 'x-forwarded-for': '2001:db8::5' }))).toBe('2001:db8::5');
    expect(behindProxy.of(request('192.0.2.1'))).toBe('192.0.2.1'); // no header: the proxy itself
  });

  it('reads RFC 7239 Forwarded when there is no X-Forwarded-For', () => {
    expect(behindProxy.of(request('10.0.0.1', { forwarded: 'for=198.51.100.8;proto=https' }))).toBe('198.51.100.8');
    expect(behindProxy.of(request('10.0.0.1', { forwarded: 'for="[2001:db8:cafe::17]:4711"' }))).toBe(
      '2001:db8:cafe::17',
    );
    expect(behindProxy.of(request('10.0.0.1', { forwarded: 'for=6.6.6.6, for="198.51.100.9:80";by=10.0.0.1' }))).toBe(
      '198.51.100.9',
    );
  });

  it('refuses settings that are not addresses or CIDRs', () => {
    expect(() => parseTrustedProxies(['example.org'])).toThrow(/not an IP address/);
    expect(() => parseTrustedProxies(['10.0.0.0/33'])).toThrow();
    expect(parseTrustedProxies(['127.0.0.1, ::1'])).toHaveLength(2);
  });
});
