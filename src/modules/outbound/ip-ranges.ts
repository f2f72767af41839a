/**
 * IP address parsing, CIDR matching and classification for the SSRF guard
 * (OWASP SSRF Prevention Cheat Sheet; IANA special-purpose address registries).
 *
 * Inputs are the canonical forms a resolver or the WHATWG URL parser produces: dotted-quad IPv4
 * and RFC 4291 IPv6 text. Odd IPv4 literals (`2130706433`, `0x7f.1`, `127.1`, `017700000001`)
 * are canonicalised by `new URL()` before they reach us, so `parseIp` is deliberately strict (no
 * octal/hex/short forms: a config value like `010.0.0.1` is ambiguous and refused).
 *
 * IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is normalised to IPv4 everywhere, so one rule covers
 * both spellings. Addresses that embed an IPv4 address on the way to it (NAT64 `64:ff9b::/96`,
 * 6to4 `2002::/16`) are classified by the embedded address when that one is not public.
 */

export type IpFamily = 4 | 6;

export interface ParsedIp {
  family: IpFamily;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
}

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved';

/**
 * Classes that an operator allow-list can never re-enable: cloud metadata and link-local are
 * refused in every mode; unspecified, multicast and broadcast are never a valid
 * unicast TCP peer (`0.0.0.0` even reaches the local host on Linux).
 */
export const NEVER_ALLOWED: ReadonlySet<AddressClass> = new Set([
  'metadata',
  'link-local',
  'unspecified',
  'multicast',
  'broadcast',
]);

function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseIPv6(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const toGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const groups: number[] = [];
    const items = s.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseIPv4(item);
        if (!v4) return null;
        groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) {
        groups.push(Number.parseInt(item, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const head = toGroups(halves[0]!);
  const tail = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

function isMappedV4(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/**
 * Strict parse of an IPv4 or IPv6 address (brackets and a `%zone` suffix are tolerated and
 * dropped). IPv4-mapped IPv6 comes back as IPv4.
 */
export function parseIp(text: string): ParsedIp | null {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone !== -1) s = s.slice(0, zone);
  if (!s.includes(':')) {
    const v4 = parseIPv4(s);
    return v4 ? { family: 4, bytes: v4 } : null;
  }
  const v6 = parseIPv6(s);
  if (!v6) return null;
  if (isMappedV4(v6)) return { family: 4, bytes: v6.slice(12) };
  return { family: 6, bytes: v6 };
}

function formatIp(ip: ParsedIp): string {
  if (ip.family === 4) return Array.from(ip.bytes).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip.bytes[i]! << 8) | ip.bytes[i + 1]!);
  // RFC 5952: compress the longest run (≥ 2) of zero groups, the first one on ties.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best === -1) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Canonical text of an address (IPv4-mapped → IPv4, RFC 5952 IPv6), or null if not an IP. */
export function normalizeIp(text: string): string | null {
  const ip = parseIp(text);
  return ip ? formatIp(ip) : null;
}

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

export interface Cidr {
  family: IpFamily;
  /** network address as an integer, host bits zeroed */
  base: bigint;
  prefix: number;
}

/**
 * Parse `addr/prefix` (or a bare address = one host). An IPv4-mapped IPv6 range of /96 or longer
 * becomes the equivalent IPv4 range, so allow-list entries follow the same normalisation.
 */
export function parseCidr(text: string): Cidr | null {
  const [addr, prefixText, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return null;
  let bytes: Uint8Array | null;
  let family: IpFamily;
  let prefix: number;
  if (addr.includes(':')) {
    bytes = parseIPv6(addr.replace(/^\[|\]$/g, ''));
    family = 6;
  } else {
    bytes = parseIPv4(addr);
    family = 4;
  }
  if (!bytes) return null;
  const bits = family === 4 ? 32 : 128;
  if (prefixText === undefined) prefix = bits;
  else if (/^\d{1,3}$/.test(prefixText) && Number(prefixText) <= bits) prefix = Number(prefixText);
  else return null;
  if (family === 6 && isMappedV4(bytes) && prefix >= 96) {
    bytes = bytes.slice(12);
    family = 4;
    prefix -= 96;
  }
  const width = BigInt(family === 4 ? 32 : 128);
  const hostBits = width - BigInt(prefix);
  const base = (toBigInt(bytes) >> hostBits) << hostBits;
  return { family, base, prefix };
}

export function isValidCidr(text: string): boolean {
  return parseCidr(text) !== null;
}

function contains(cidr: Cidr, ip: ParsedIp): boolean {
  if (cidr.family !== ip.family) return false;
  const width = BigInt(ip.family === 4 ? 32 : 128);
  const hostBits = width - BigInt(cidr.prefix);
  return (toBigInt(ip.bytes) >> hostBits) << hostBits === cidr.base;
}

/** true when `address` lies in `cidr` (both normalised; families never cross). */
export function cidrContains(cidr: string | Cidr, address: string | ParsedIp): boolean {
  const c = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
  const ip = typeof address === 'string' ? parseIp(address) : address;
  return c !== null && ip !== null && contains(c, ip);
}

/** A matcher over a CIDR list. Invalid entries are ignored: a typo must never widen access. */
export function createCidrMatcher(cidrs: readonly string[]): (address: string | ParsedIp) => boolean {
  const parsed = cidrs.map((c) => parseCidr(c)).filter((c): c is Cidr => c !== null);
  return (address) => {
    const ip = typeof address === 'string' ? parseIp(address) : address;
    return ip !== null && parsed.some((c) => contains(c, ip));
  };
}

type Table = ReadonlyArray<readonly [AddressClass, Cidr]>;

function table(entries: ReadonlyArray<readonly [AddressClass, string]>): Table {
  return entries.map(([cls, text]) => {
    const c = parseCidr(text);
    if (!c) throw new Error(`bad built-in CIDR ${text}`);
    return [cls, c] as const;
  });
}

// First match wins, so specific entries (metadata hosts) come before their enclosing ranges.
const V4_TABLE = table([
  ['metadata', '169.254.169.254/32'], // AWS, GCP, Azure, OCI, DigitalOcean instance metadata
  ['metadata', '169.254.170.2/32'], // AWS ECS task metadata
  ['metadata', '100.100.100.200/32'], // Alibaba Cloud metadata
  ['metadata', '192.0.0.192/32'], // Oracle Cloud (legacy) metadata
  ['metadata', '168.63.129.16/32'], // Azure WireServer: a public-looking address of the host
  ['unspecified', '0.0.0.0/8'],
  ['loopback', '127.0.0.0/8'],
  ['link-local', '169.254.0.0/16'],
  ['private', '10.0.0.0/8'],
  ['private', '172.16.0.0/12'],
  ['private', '192.168.0.0/16'],
  ['private', '100.64.0.0/10'], // CGNAT (RFC 6598)
  ['multicast', '224.0.0.0/4'],
  ['broadcast', '255.255.255.255/32'],
  ['documentation', '192.0.2.0/24'],
  ['documentation', '198.51.100.0/24'],
  ['documentation', '203.0.113.0/24'],
  ['reserved', '192.0.0.0/24'], // IETF protocol assignments
  ['reserved', '192.88.99.0/24'], // 6to4 relay anycast (deprecated)
  ['reserved', '198.18.0.0/15'], // benchmarking
  ['reserved', '240.0.0.0/4'],
]);

const V6_TABLE = table([
  ['metadata', 'fd00:ec2::254/128'], // AWS metadata over IPv6
  ['unspecified', '::/128'],
  ['loopback', '::1/128'],
  ['reserved', '::/96'], // deprecated IPv4-compatible addresses
  ['reserved', '::ffff:0:0:0/96'], // IPv4-translated (RFC 2765)
  ['private', '64:ff9b:1::/48'], // local-use NAT64 (RFC 8215)
  ['reserved', '100::/64'], // discard-only
  ['reserved', '2001::/23'], // IETF protocol assignments, incl. Teredo 2001::/32
  ['documentation', '2001:db8::/32'],
  ['documentation', '3fff::/20'],
  ['link-local', 'fe80::/10'],
  ['private', 'fec0::/10'], // deprecated site-local
  ['private', 'fc00::/7'], // unique local
  ['multicast', 'ff00::/8'],
]);

const NAT64 = parseCidr('64:ff9b::/96')!;
const SIX_TO_FOUR = parseCidr('2002::/16')!;
const GLOBAL_UNICAST = parseCidr('2000::/3')!;

function lookup(tableRows: Table, ip: ParsedIp): AddressClass | null {
  for (const [cls, cidr] of tableRows) if (contains(cidr, ip)) return cls;
  return null;
}

/** Class of a parsed (normalised) address. */
export function classifyParsed(ip: ParsedIp): AddressClass {
  if (ip.family === 4) return lookup(V4_TABLE, ip) ?? 'public';
  const embedded = contains(NAT64, ip)
    ? ip.bytes.slice(12)
    : contains(SIX_TO_FOUR, ip)
      ? ip.bytes.slice(2, 6)
      : null;
  if (embedded) {
    const inner = lookup(V4_TABLE, { family: 4, bytes: embedded }) ?? 'public';
    return inner;
  }
  const cls = lookup(V6_TABLE, ip);
  if (cls) return cls;
  // Anything outside 2000::/3 is not (yet) globally routable unicast.
  return contains(GLOBAL_UNICAST, ip) ? 'public' : 'reserved';
}

/** Class of an address given as text; `null` when it is not an IP address at all. */
export function classifyIp(text: string): AddressClass | null {
  const ip = parseIp(text);
  return ip ? classifyParsed(ip) : null;
}
