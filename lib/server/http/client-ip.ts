import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';

// Who is the client? Throttling, the per-address connection limit and the logs key on it. By default it is the socket
// peer and forwarding headers are ignored (anyone can send them). Only when the peer is one of the operator's
// `--trusted-proxy` addresses do we read X-Forwarded-For (or, if absent, RFC 7239 Forwarded) and take the right-most
// address that is not itself a trusted proxy: everything left of it was written by the client and may be forged.

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses `--trusted-proxy` values (addresses or CIDRs, comma-separated or repeated); throws on a bad one. */
export function parseTrustedProxies(values: readonly string[]): Cidr[] {
  return values
    .flatMap((value) => value.split(','))
    .map((raw) => raw.trim())
    .filter(Boolean)
    .map((entry) => {
      if (ipaddr.isValidCIDR(entry)) return normalizeCidr(ipaddr.parseCIDR(entry));
      if (ipaddr.isValid(entry)) {
        const address = normalize(ipaddr.parse(entry));
        return [address, address.kind() === 'ipv4' ? 32 : 128] as Cidr;
      }
      throw new Error(`not an IP address or CIDR: ${entry}`);
    });
}

/** IPv4-mapped IPv6 (::ffff:1.2.3.4, what a dual-stack socket reports) is compared as the IPv4 address. */
function normalize(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

function normalizeCidr([address, bits]: Cidr): Cidr {
  const mapped = address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96;
  return mapped ? [(address as ipaddr.IPv6).toIPv4Address(), bits - 96] : [address, bits];
}

function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    return ipaddr.isValid(text) ? normalize(ipaddr.parse(text)) : undefined;
  } catch {
    return undefined;
  }
}

export class ClientAddresses {
  constructor(private readonly trusted: readonly Cidr[]) {}

  /** True if `address` (as a socket reports it) is one of the trusted proxies. */
  isTrusted(address: string | undefined): boolean {
    const parsed = address === undefined ? undefined : parseAddress(address);
    return (
      parsed !== undefined &&
      this.trusted.some(([net, bits]) => net.kind() === parsed.kind() && parsed.match(net, bits))
    );
  }

  /** The client address of a request, as a normalized string. */
  of(req: IncomingMessage): string {
    const peer = req.socket.remoteAddress;
    const peerText = peer === undefined ? 'unknown' : (parseAddress(peer)?.toString() ?? peer);
    if (this.trusted.length === 0 || !this.isTrusted(peer)) return peerText;
    const chain = forwardedChain(req);
    // Right to left: skip our own proxies; the first other hop is the client the outermost proxy saw.
    for (let i = chain.length - 1; i >= 0; i--) {
      const hop = chain[i] ?? '';
      const address = parseAddress(hop);
      if (!address) return `unparsed:${hop.slice(0, 64)}`; // written by a proxy of ours, so not attacker-chosen
      if (!this.isTrusted(address.toString())) return address.toString();
    }
    return chain.length > 0 ? (parseAddress(chain[0] ?? '')?.toString() ?? peerText) : peerText;
  }
}

/** The hops a trusted proxy reported, left (client side) to right (nearest). X-Forwarded-For wins over Forwarded. */
function forwardedChain(req: IncomingMessage): string[] {
  const xff = req.headers['x-forwarded-for'];
  if (xff)
    return String(xff)
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean);
  const forwarded = req.headers.forwarded;
  if (!forwarded) return [];
  const hops: string[] = [];
  for (const element of String(forwarded).split(',')) {
    for (const pair of element.split(';')) {
      const eq = pair.indexOf('=');
      if (eq < 0 || pair.slice(0, eq).trim().toLowerCase() !== 'for') continue;
      hops.push(forwardedNode(pair.slice(eq + 1).trim()));
    }
  }
  return hops;
}

/** RFC 7239 node: `1.2.3.4`, `"1.2.3.4:80"`, `"[2001:db8::1]:443"`, `unknown` or an obfuscated `_name`. */
function forwardedNode(value: string): string {
  const unquoted = value.replace(/^"(.*)"$/, '$1');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(unquoted);
  if (bracketed?.[1]) return bracketed[1];
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(unquoted);
  return withPort?.[1] ?? unquoted;
}
