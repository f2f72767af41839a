/**
 * Keep-alive connection pools for deliveries, one undici Pool per (pinned IP, port, TLS server
 * name, source address), so a dispatcher sending many callbacks to one receiver reuses its
 * sockets instead of paying a TCP (and TLS) handshake per delivery.
 *
 * How this stays inside the SSRF guard (ssrf-guard.ts, OWASP SSRF Prevention Cheat Sheet):
 * - every delivery resolves and checks its host first (http-client.ts) and then asks for the pool
 *   of the exact address it checked; a pool only ever connects to the IP in its key, and a new
 *   socket's peer address is compared with it on connect. A socket in a pool was therefore
 *   opened to an address that the current delivery's own, fresh check has just allowed.
 * - a name that now resolves to a refused address is refused before any pool is looked at, and
 *   one that resolves to another allowed address gets another pool: a pooled socket is never
 *   reused for an address the current answer does not name.
 * - SNI and certificate identity stay the registered host name (part of the key, so two names
 *   on one IP never share a TLS connection); over plain HTTP the Host header carries the name.
 *
 * Bounded: at most `maxPools` pools (least recently used closed first), pools unused for
 * `idleMs` are closed, sockets idle in a pool close after undici's keep-alive timeout, and
 * `close()` closes everything (dispatcher stop).
 */
import type { Socket } from 'node:net';
import type { Dispatcher, Pool } from 'undici';
import { normalizeIp } from './ip-ranges.ts';
import { urlHost } from './ssrf-guard.ts';
import { undici } from './undici-loader.ts';

export interface PoolOptions {
  /** most pools kept at once; default 64 */
  maxPools?: number;
  /** sockets per pool; default 16 (the dispatcher passes its concurrency) */
  connections?: number;
  /** a pool unused this long is closed; default 60 s */
  idleMs?: number;
  /** an idle socket is closed after this long (or the server's keep-alive hint); default 4 s */
  keepAliveMs?: number;
}

export interface PoolTarget {
  url: URL;
  /** the address the delivery's own check allowed (normalised) */
  address: string;
  localAddress?: string;
  connectTimeoutMs: number;
}

interface Entry {
  pool: Pool;
  lastUsed: number;
}

/** Raised by a pool's connector when a socket's peer is not the pinned address. */
export class PinnedPeerMismatch extends Error {
  readonly code = 'YEON_PINNED_PEER_MISMATCH';
  constructor(readonly peer: string | null) {
    super(`connected peer ${peer ?? 'unknown'} is not the checked address`);
  }
}

function defaultPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

export class ConnectionPools {
  readonly #pools = new Map<string, Entry>();
  /** each pool's open sockets, to wait for the ones being torn down (see `settled`) */
  readonly #sockets = new WeakMap<Dispatcher, Set<Socket>>();
  readonly #maxPools: number;
  readonly #connections: number;
  readonly #idleMs: number;
  readonly #keepAliveMs: number;

  constructor(options: PoolOptions = {}) {
    this.#maxPools = Math.max(1, options.maxPools ?? 64);
    this.#connections = Math.max(1, options.connections ?? 16);
    this.#idleMs = options.idleMs ?? 60_000;
    this.#keepAliveMs = options.keepAliveMs ?? 4_000;
  }

  /** How many pools are open now (tests, metrics). */
  get size(): number {
    return this.#pools.size;
  }

  /**
   * The pool for this pinned destination, created on first use. Call it right before dispatching
   * on it (in the same synchronous step), so that eviction cannot close it in between.
   */
  get(target: PoolTarget): Pool {
    const { url, address } = target;
    const host = urlHost(url);
    const servername = url.protocol === 'https:' && normalizeIp(host) === null ? host : undefined;
    const port = defaultPort(url);
    const key = `${url.protocol}|${address}|${port}|${servername ?? ''}|${target.localAddress ?? ''}`;
    const now = Date.now();
    this.#sweep(now);
    const found = this.#pools.get(key);
    if (found) {
      // Map order is the LRU order: move this one to the end.
      this.#pools.delete(key);
      found.lastUsed = now;
      this.#pools.set(key, found);
      return found.pool;
    }
    while (this.#pools.size >= this.#maxPools) {
      const [oldest, entry] = this.#pools.entries().next().value as [string, Entry];
      this.#pools.delete(oldest);
      // close() lets requests already dispatched on it finish, then closes its sockets.
      entry.pool.close().catch(() => {});
    }
    const pool = this.#create(url.protocol, address, port, servername, target);
    this.#pools.set(key, { pool, lastUsed: now });
    return pool;
  }

  /**
   * A delivery dropped its connection (a body cut at the size cap, a deadline, a broken
   * response): the pool is retired, so its remaining sockets close once their requests end, and
   * the next delivery starts afresh, as with a one-off Client. Resolves once the sockets being
   * torn down have closed, so the attempt's slot is free only when its connection is gone.
   */
  async discard(pool: Dispatcher): Promise<void> {
    for (const [key, entry] of this.#pools) {
      if (entry.pool !== pool) continue;
      this.#pools.delete(key);
      entry.pool.close().catch(() => {});
    }
    const sockets = this.#sockets.get(pool);
    if (!sockets) return;
    const closing = [...sockets].filter((s) => s.destroyed);
    await Promise.all(closing.map((s) => new Promise((resolve) => s.once('close', resolve))));
  }

  /** Closes every pool (waiting for requests in flight on them); pools are made again on use. */
  async close(): Promise<void> {
    const entries = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.allSettled(entries.map((e) => e.pool.close()));
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#pools) {
      // Oldest first: stop at the first one still in use.
      if (now - entry.lastUsed < this.#idleMs) break;
      this.#pools.delete(key);
      entry.pool.close().catch(() => {});
    }
  }

  #create(
    protocol: string,
    address: string,
    port: number,
    servername: string | undefined,
    target: PoolTarget,
  ): Pool {
    const { buildConnector, Pool: UndiciPool } = undici();
    const base = buildConnector({ timeout: target.connectTimeoutMs });
    const origin = `${protocol}//${address.includes(':') ? `[${address}]` : address}:${port}`;
    const sockets = new Set<Socket>();
    const pool = new UndiciPool(origin, {
      connections: this.#connections,
      pipelining: 1,
      keepAliveTimeout: this.#keepAliveMs,
      keepAliveMaxTimeout: this.#keepAliveMs,
      connect: (opts, callback) => {
        base(
          {
            ...opts,
            // net.connect to an IP literal: no name resolution happens here.
            hostname: address,
            servername,
            localAddress: target.localAddress ?? opts.localAddress,
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
              callback(new PinnedPeerMismatch(peer), null);
              return;
            }
            sockets.add(socket);
            socket.once('close', () => sockets.delete(socket));
            callback(null, socket);
          },
        );
      },
    });
    this.#sockets.set(pool, sockets);
    return pool;
  }
}
