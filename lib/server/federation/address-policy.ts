import ipaddr from 'ipaddr.js';

// Which IP addresses another server may live at. A remote named by an anonymous visitor or an untrusted peer must not
// make this node talk to its own machine or its private network (SSRF), so only globally routable unicast addresses
// count as public. Addresses that carry an IPv4 address inside IPv6 (mapped, 6to4, Teredo, NAT64) are judged by the
// IPv4 address they lead to.

/** Why an address is not public ("loopback", "private", …), or undefined when it is a public unicast address. */
export function nonPublicReason(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(canonicalText(address));
  } catch {
    return 'not an IP address';
  }
  return parsed.kind() === 'ipv4' ? ipv4Reason(parsed as ipaddr.IPv4) : ipv6Reason(parsed as ipaddr.IPv6);
}

/**
 * The address as the WHATWG URL parser (and so the connection) reads it. ipaddr.js would read the IPv4-compatible
 * "::127.0.0.1" as the IPv4-mapped "::ffff:127.0.0.1"; the URL parser makes it "::7f00:1", which it really is.
 */
function canonicalText(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!bare.includes(':')) return bare;
  try {
    return new URL(`http://[${bare}]/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return bare;
  }
}

function ipv4Reason(address: ipaddr.IPv4): string | undefined {
  const range = address.range();
  return range === 'unicast' ? undefined : range;
}

const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
/** Only 2000::/3 is global unicast; everything else (::/8 with IPv4-compatible addresses, fc00::/7, …) is not. */
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

function embeddedIpv4(parts: number[], at: number): ipaddr.IPv4 {
  const high = parts[at] ?? 0;
  const low = parts[at + 1] ?? 0;
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function ipv6Reason(address: ipaddr.IPv6): string | undefined {
  const { parts } = address;
  if (address.isIPv4MappedAddress()) return prefixed('IPv4-mapped', ipv4Reason(address.toIPv4Address()));
  if (address.match(NAT64_WELL_KNOWN)) return prefixed('NAT64', ipv4Reason(embeddedIpv4(parts, 6)));
  const range = address.range();
  if (range === '6to4') return prefixed('6to4', ipv4Reason(embeddedIpv4(parts, 1)));
  if (range === 'teredo') {
    // Teredo carries the relay server's address in plain form and the client's address inverted.
    const server = embeddedIpv4(parts, 2);
    const client = embeddedIpv4(
      parts.map((part) => part ^ 0xffff),
      6,
    );
    return prefixed('Teredo', ipv4Reason(server) ?? ipv4Reason(client));
  }
  if (range !== 'unicast') return range;
  if (!address.match(GLOBAL_UNICAST)) return 'reserved';
  return undefined;
}

function prefixed(kind: string, reason: string | undefined): string | undefined {
  return reason === undefined ? undefined : `${kind} ${reason}`;
}
