import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';
import { nonPublicReason } from './address-policy';

// Where calls to other servers may connect to. The check runs inside the connection itself: host names are resolved
// here, EVERY resolved address is checked, and the socket connects only to those checked addresses, so a DNS answer
// that changes between a check and the connect (DNS rebinding) cannot slip through. Literal IPs are checked the same
// way. Refused: this node itself (under any name, compared by resolved address and port), and — unless the operator
// passed --allow-local-remotes — every address that is not public (loopback, private, link-local, …).
//
// Timeouts are on silence, not on total time: connecting, waiting for the headers and every gap between two chunks of
// the body may each take at most --remote-timeout, so a large file read through a mount may stream for as long as
// data keeps coming.

export class RefusedAddress extends Error {}

const THIS_SERVER = 'this server itself';

function refusedError(host: string, refusal: string): RefusedAddress {
  const advice = refusal === THIS_SERVER ? '' : '; the server must be started with --allow-local-remotes to reach it';
  return new RefusedAddress(`${host} is ${refusal}${advice}`);
}

type Family = 4 | 6;
type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: Family) => void;

/** A parsed address; an IPv4-mapped IPv6 address counts as its IPv4 address. */
function canonical(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    return ipaddr.process(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return undefined;
  }
}

function isLocalHostAddress(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  const range = address.range();
  // Connecting to 0.0.0.0 or :: reaches this machine.
  return range === 'loopback' || range === 'unspecified';
}

function interfaceAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const item of list ?? []) {
      const parsed = canonical(item.address);
      if (parsed) addresses.add(parsed.toString());
    }
  }
  return addresses;
}

/** Resolves a host name to all its addresses (dns.lookup with all: true; tests give their own). */
export type Resolve = (
  hostname: string,
  options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolve: Resolve = (hostname, options, callback) =>
  dnsLookup(hostname, { ...options, all: true }, callback);

interface OutboundSettings {
  allowLocalRemotes: boolean;
  remoteTimeoutMs: number;
  publicUrl: string;
  host: string;
  port: number;
  resolve?: Resolve;
}

export class Outbound {
  /** Where this node listens (updated once the socket is bound, so port 0 works too). */
  private listening: { address: string; port: number };
  readonly ownOrigin: string;
  readonly dispatcher: Agent;

  constructor(private readonly settings: OutboundSettings) {
    this.listening = { address: settings.host, port: settings.port };
    this.ownOrigin = URL.canParse(settings.publicUrl) ? new URL(settings.publicUrl).origin : settings.publicUrl;
    const timeout = settings.remoteTimeoutMs;
    this.dispatcher = new Agent({
      connect: (options, callback) => {
        const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
        const hostname = options.hostname.replace(/^\[|\]$/g, '');
        if (isIP(hostname)) {
          const refusal = this.refusal(hostname, port);
          if (refusal) return callback(refusedError(hostname, refusal), null);
        }
        // A connector per connection: its lookup knows the port, which the own-node check needs.
        buildConnector({ timeout, lookup: this.checkedLookup(port) })(options, callback);
      },
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  }

  setListening(address: AddressInfo | string | null): void {
    if (address && typeof address === 'object') this.listening = { address: address.address, port: address.port };
  }

  /** Why this node must not connect to ip:port ("this server itself", "not a public address (loopback)"), if so. */
  refusal(ip: string, port: number): string | undefined {
    if (this.isThisNode(ip, port)) return THIS_SERVER;
    if (this.settings.allowLocalRemotes) return undefined;
    const reason = nonPublicReason(ip);
    return reason && `not a public address (${reason})`;
  }

  private isThisNode(ip: string, port: number): boolean {
    if (port !== this.listening.port) return false;
    const target = canonical(ip);
    const bound = canonical(this.listening.address);
    if (!target) return false;
    // Our port on loopback (any name: localhost, 127.0.0.1, [::1], 0.0.0.0) is taken to be us, whatever we bound to.
    if (isLocalHostAddress(target)) return true;
    if (!bound || bound.range() === 'unspecified') return interfaceAddresses().has(target.toString());
    return target.toString() === bound.toString();
  }

  /** dns.lookup, but every address of the answer must pass `refusal` (one refused address refuses the host). */
  private checkedLookup(port: number) {
    return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
      (this.settings.resolve ?? systemResolve)(hostname, options, (error, addresses) => {
        if (error) return callback(error, []);
        if (addresses.length === 0)
          return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
        for (const { address } of addresses) {
          const refusal = this.refusal(address, port);
          // Named by host name only: the caller may be anonymous and must not learn internal addresses from us.
          if (refusal) return callback(refusedError(hostname, refusal), []);
        }
        if (options.all) return callback(null, addresses);
        const [first] = addresses as [LookupAddress];
        callback(null, first.address, first.family as Family);
      });
    };
  }
}
