/**
 * The subject a per-address limit counts: an IPv4 address as it is, an IPv6 address by its /64.
 * One IPv6 subscriber is usually given a whole /64 (RFC 6177 §2, RFC 7934 §6), so counting single
 * IPv6 addresses would let one client rotate through 2^64 of them and never reach a limit.
 * IPv4-mapped IPv6 (`::ffff:192.0.2.1`, RFC 4291 §2.5.5.2) is counted as the IPv4 address.
 */
import { isIP } from 'node:net';

function expandIpv6(address: string): string[] | undefined {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 1) return undefined;
  return [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
}

export function addressSubject(ip: string): string {
  const bare = ip.replace(/%.*$/, ''); // a zone id (fe80::1%eth0) names an interface, not a client
  if (isIP(bare) !== 6) return bare;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  // an embedded IPv4 tail (…:1.2.3.4) is in the last 32 bits, outside the /64
  const groups = expandIpv6(bare.replace(/:\d+\.\d+\.\d+\.\d+$/, ':0:0'));
  if (!groups) return bare;
  const prefix = groups.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}
