// @vitest-environment node
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nonPublicReason } from '@/lib/server/federation/address-policy';

// The SSRF address classifier: only globally routable unicast addresses are public; IPv4 hidden inside IPv6 is
// judged by the IPv4 address it leads to.

describe('nonPublicReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
  ])('refuses IPv4 %s (%s)', (address, reason) => {
    expect(nonPublicReason(address)).toBe(reason);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.0.1',
    '93.184.216.34',
  ])('accepts public IPv4 %s', (address) => {
    expect(nonPublicReason(address)).toBeUndefined();
  });

  it.each([
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['2001:db8::1', 'reserved'],
    ['100::1', 'discard'],
    // IPv4-compatible (deprecated ::a.b.c.d) lies outside 2000::/3
    ['::127.0.0.1', 'reserved'],
    ['::8.8.8.8', 'reserved'],
  ])('refuses IPv6 %s', (address, reason) => {
    expect(nonPublicReason(address)).toBe(reason);
  });

  it.each(['2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '[2001:4860:4860::8888]'])(
    'accepts public IPv6 %s',
    (address) => {
      expect(nonPublicReason(address)).toBeUndefined();
    },
  );

  it('judges IPv4 inside IPv6 by the IPv4 address', () => {
    expect(nonPublicReason('::ffff:127.0.0.1')).toBe('IPv4-mapped loopback');
    expect(nonPublicReason('::ffff:7f00:1')).toBe('IPv4-mapped loopback');
    expect(nonPublicReason('::ffff:10.0.0.1')).toBe('IPv4-mapped private');
    expect(nonPublicReason('::ffff:8.8.8.8')).toBeUndefined();
    expect(nonPublicReason('64:ff9b::192.168.0.1')).toBe('NAT64 private');
    expect(nonPublicReason('64:ff9b::8.8.8.8')).toBeUndefined();
    expect(nonPublicReason('2002:7f00:1::1')).toBe('6to4 loopback'); // 6to4 of 127.0.0.1
    expect(nonPublicReason('2002:c0a8:101::1')).toBe('6to4 private'); // 6to4 of 192.168.1.1
    expect(nonPublicReason('2002:0808:0808::1')).toBeUndefined(); // 6to4 of 8.8.8.8
    // Teredo: server 65.54.227.120, client 192.168.1.1 stored inverted (3f57:fefe)
    expect(nonPublicReason('2001:0:4136:e378:8000:63bf:3f57:fefe')).toBe('Teredo private');
    // Teredo with public server and client (client 8.8.8.8 inverted: f7f7:f7f7)
    expect(nonPublicReason('2001:0:4136:e378:8000:63bf:f7f7:f7f7')).toBeUndefined();
  });

  it('refuses what is not an IP address', () => {
    expect(nonPublicReason('localhost')).toBe('not an IP address');
    expect(nonPublicReason('')).toBe('not an IP address');
  });

  it('never calls an address of a non-public IPv4 range public, in any IPv6 wrapping', () => {
    const privateV4 = fc.oneof(
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(0), fc.nat(255), fc.nat(255), fc.nat(255)),
    );
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    fc.assert(
      fc.property(privateV4, ([a, b, c, d]) => {
        const v4 = `${a}.${b}.${c}.${d}`;
        for (const address of [v4, `::ffff:${v4}`, `64:ff9b::${v4}`, `2002:${hex(a, b)}:${hex(c, d)}::1`]) {
          expect(nonPublicReason(address), address).toBeDefined();
        }
      }),
    );
  });
});
