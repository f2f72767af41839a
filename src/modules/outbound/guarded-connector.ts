/**
 * The connector of a one-off delivery (http-client.ts without pools): it checks the destination
 * again on a fresh DNS answer right before the socket opens and connects to that exact IP, so a
 * name that rebinds to a refused address between the early check and the connect is refused
 * with zero connections made (OWASP SSRF Prevention Cheat Sheet). TLS still verifies the
 * certificate against the original host name (servername).
 */
import type { buildConnector } from 'undici';
import { normalizeIp, parseIp } from './ip-ranges.ts';
import { checkDestination, type DestinationCheck, type OutboundPolicy, urlHost } from './ssrf-guard.ts';
import { undici } from './undici-loader.ts';

export interface ConnectOptions {
  policy: OutboundPolicy;
  timeoutMs: number;
  localAddress?: string;
}

const REFUSED = 'YEON_DESTINATION_REFUSED';
const DEADLINE = Symbol('deadline');

export class DestinationRefused extends Error {
  readonly code = REFUSED;
  constructor(readonly check: Extract<DestinationCheck, { ok: false }>) {
    super(`destination refused: ${check.reason}${check.address ? ` (${check.address})` : ''}`);
  }
}

export class DeadlineExceeded extends Error {
  readonly [DEADLINE] = true;
  constructor() {
    super('deadline exceeded');
  }
}

export function refusalDetail(check: Extract<DestinationCheck, { ok: false }>): string {
  return check.address ? `${check.reason} ${check.address}` : check.reason;
}

/** Prefer an address of the local address' family, so a bound socket can reach it. */
export function pickAddress(addresses: string[], localAddress?: string): string {
  const want = localAddress ? parseIp(localAddress)?.family : undefined;
  return addresses.find((a) => parseIp(a)?.family === want) ?? addresses[0]!;
}

export interface ConnectState {
  remoteAddress?: string;
  refusal?: Extract<DestinationCheck, { ok: false }>;
}

type Connector = ReturnType<typeof buildConnector>;

/** undici connector that re-checks the destination on a fresh resolution and pins the socket to it. */
export function guardedConnector(
  url: URL,
  options: ConnectOptions,
  state: ConnectState,
  signal: AbortSignal,
): Connector {
  const base = undici().buildConnector({ timeout: options.timeoutMs });
  const host = urlHost(url);
  const hostIsIp = parseIp(host) !== null;
  return (opts, callback) => {
    checkDestination(url.href, options.policy).then(
      (check) => {
        // The deadline may have passed while resolving: open nothing for an abandoned attempt.
        if (signal.aborted) {
          callback(new DeadlineExceeded(), null);
          return;
        }
        if (!check.ok) {
          state.refusal = check;
          callback(new DestinationRefused(check), null);
          return;
        }
        const address = pickAddress(check.addresses, options.localAddress);
        base(
          {
            ...opts,
            hostname: address,
            // TLS: SNI and certificate identity stay the registered host name.
            servername: hostIsIp ? undefined : host,
            localAddress: options.localAddress ?? opts.localAddress,
          },
          (err, socket) => {
            if (err || !socket) {
              callback(err ?? new Error('connect failed'), null);
              return;
            }
            const peer = socket.remoteAddress ? normalizeIp(socket.remoteAddress) : null;
            if (peer !== address) {
              // Should be impossible with a pinned IP; refuse rather than trust it.
              socket.destroy();
              state.refusal = { ok: false, reason: 'blocked_address', address: peer ?? undefined };
              callback(new DestinationRefused(state.refusal), null);
              return;
            }
            state.remoteAddress = peer;
            callback(null, socket);
          },
        );
      },
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null),
    );
  };
}
