/**
 * The SSRF guard for URLs that third parties control: unlink callbacks and the console's
 * "Send test notification" (OWASP SSRF Prevention Cheat Sheet).
 *
 * `checkDestination` is used twice: at registration (a clear, early answer for the console) and
 * again inside the HTTP client's connector right before the socket opens, on a fresh DNS answer,
 * so DNS rebinding between the two cannot reach a refused address (see http-client.ts).
 *
 * Rules, for every address a name resolves to (one bad record refuses the whole name):
 * - metadata and link-local (and unspecified, multicast, broadcast) are refused always; the
 *   allow-list cannot re-enable them;
 * - loopback, private, documentation and reserved ranges pass only when `allow` covers them
 *   (`YEON_OUTBOUND_ALLOW`: loopback by default in development/test, empty in production);
 * - everything else (globally routable unicast) passes.
 */
import { lookup } from 'node:dns/promises';
import {
  type AddressClass,
  classifyParsed,
  createCidrMatcher,
  NEVER_ALLOWED,
  normalizeIp,
  parseIp,
} from './ip-ranges.ts';

export interface OutboundPolicy {
  /** CIDRs that may be reached although not public (never metadata or link-local). */
  allow: string[];
  /** DNS resolver returning every A/AAAA address; defaults to the system resolver. */
  resolve?: (host: string) => Promise<string[]>;
}

export type DestinationRefusal =
  | 'invalid_url'
  | 'scheme'
  | 'credentials'
  | 'blocked_address'
  | 'metadata'
  | 'unresolvable';

export type DestinationCheck =
  | { ok: true; addresses: string[] }
  | { ok: false; reason: DestinationRefusal; address?: string };

/** The system resolver, all records, in the order the OS returns them. */
export async function systemResolve(host: string): Promise<string[]> {
  const records = await lookup(host, { all: true, verbatim: true });
  return records.map((r) => r.address);
}

/** The URL's host without IPv6 brackets (the WHATWG parser already canonicalised IP forms). */
export function urlHost(url: URL): string {
  const h = url.hostname;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/**
 * Verdict for one address under a policy: null when it may be reached, else the refusal.
 * Exposed for the connector, which re-checks the exact address it is about to connect to.
 */
export function checkAddress(
  address: string,
  policy: Pick<OutboundPolicy, 'allow'>,
): { reason: 'blocked_address' | 'metadata' | 'unresolvable'; cls?: AddressClass } | null {
  const ip = parseIp(address);
  if (!ip) return { reason: 'unresolvable' };
  const cls = classifyParsed(ip);
  if (cls === 'metadata') return { reason: 'metadata', cls };
  if (NEVER_ALLOWED.has(cls)) return { reason: 'blocked_address', cls };
  if (cls === 'public') return null;
  return createCidrMatcher(policy.allow)(ip) ? null : { reason: 'blocked_address', cls };
}

/**
 * Parse and check a callback URL, resolving its host. IP literals are checked as they are
 * (Node skips a custom `lookup` for them, §3.3); names are resolved and every record checked.
 */
export async function checkDestination(url: string, policy: OutboundPolicy): Promise<DestinationCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'invalid_url' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, reason: 'scheme' };
  if (parsed.username !== '' || parsed.password !== '') return { ok: false, reason: 'credentials' };
  const host = urlHost(parsed);
  if (host === '') return { ok: false, reason: 'invalid_url' };

  let addresses: string[];
  const literal = normalizeIp(host);
  if (literal) {
    addresses = [literal];
  } else {
    if (host.includes(':') || host.includes('%')) return { ok: false, reason: 'invalid_url' };
    let answer: string[];
    try {
      answer = await (policy.resolve ?? systemResolve)(host);
    } catch {
      return { ok: false, reason: 'unresolvable' };
    }
    if (!Array.isArray(answer) || answer.length === 0) return { ok: false, reason: 'unresolvable' };
    addresses = [];
    for (const a of answer) {
      const n = typeof a === 'string' ? normalizeIp(a) : null;
      if (!n) return { ok: false, reason: 'unresolvable', address: String(a) };
      if (!addresses.includes(n)) addresses.push(n);
    }
  }

  // Report metadata first: it is the one an attacker is after, and the console says so.
  let firstRefusal: { reason: 'blocked_address' | 'metadata' | 'unresolvable'; address: string } | null =
    null;
  for (const address of addresses) {
    const refusal = checkAddress(address, policy);
    if (!refusal) continue;
    if (refusal.reason === 'metadata') return { ok: false, reason: 'metadata', address };
    firstRefusal ??= { reason: refusal.reason, address };
  }
  if (firstRefusal) return { ok: false, ...firstRefusal };
  return { ok: true, addresses };
}
