import ipaddr from 'ipaddr.js';

/**
 * Where an address stands: `public` (globally routable unicast), `allow-listed` (private or local,
 * but the deployment allows it), or `refused`.
 */
export type AddressStanding = 'public' | 'allow-listed' | 'refused';

type Network = [ipaddr.IPv4 | ipaddr.IPv6, number];

const LOOPBACK: readonly Network[] = [ipaddr.parseCIDR('127.0.0.0/8'), ipaddr.parseCIDR('::1/128')];

/**
 * Judges the IP addresses the platform is about to connect to. Public means outside every
 * special-purpose range (RFC 6890 and its successors, as ipaddr.js knows them): loopback, private
 * (RFC 1918), link-local, CGNAT (RFC 6598), unique local (RFC 4193), IPv4-mapped and -compatible
 * IPv6, NAT64, 6to4, Teredo, unspecified, multicast, broadcast, documentation and reserved ranges.
 * A mapped or tunnelled form is refused as such rather than unwrapped, since what it reaches depends
 * on the host's stack.
 */
export class AddressPolicy {
  private readonly allowed: readonly Network[];

  /** `allow`: `loopback` and CIDR networks, as TMS_OUTBOUND_ALLOW lists them (validated at boot). */
  constructor(allow: readonly string[]) {
    this.allowed = allow.flatMap((entry) => (entry === 'loopback' ? LOOPBACK : [ipaddr.parseCIDR(entry)]));
  }

  /** Whether text is an IP address in any form ipaddr.js reads (decimal, octal and hex IPv4 included). */
  static isAddress(text: string): boolean {
    return ipaddr.isValid(text);
  }

  /** The standing of an IP address; throws when the text is not one. */
  standing(text: string): AddressStanding {
    const address = ipaddr.parse(text);
    if (this.allowed.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits))) {
      return 'allow-listed';
    }
    return isPublic(address) ? 'public' : 'refused';
  }
}

function isPublic(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (address.range() !== 'unicast') return false;
  // IPv4-compatible IPv6 (::a.b.c.d, RFC 4291 §2.5.5.1, deprecated) is left in "unicast" by ipaddr.js.
  return !(address.kind() === 'ipv6' && (address as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0));
}
