/**
 * deliverOnce: one outbound HTTP attempt to a URL a third party controls (unlink callbacks, test
 * notifications). The rules, from the OWASP SSRF Prevention Cheat Sheet and webhook senders'
 * practice (no redirects, bounded time and size):
 *
 * - SSRF: the destination is checked before anything else (early, clear refusal). A one-off
 *   attempt checks it again inside undici's connector on a *fresh* DNS answer right before the
 *   socket opens (guarded-connector.ts); a pooled one uses only sockets opened to the exact IP
 *   its early check allowed (connection-pools.ts). Either way the socket goes to a checked IP
 *   (pinned: net.connect never resolves the name again), its peer address is compared with it,
 *   and TLS still verifies the certificate against the original host name (servername).
 * - Redirects are never followed: undici's Client has no redirect interceptor; a 3xx is the
 *   failure `redirect` (Svix, Standard Webhooks, Kakao §1.2).
 * - One deadline (`timeoutMs`) covers DNS, connect, headers and body; at most `maxResponseBytes`
 *   of the body is read, then the connection is dropped.
 * - Without `pools`, a fresh Client per attempt, destroyed afterwards. With `pools` (the
 *   dispatcher), the socket comes from the keep-alive pool of the exact address this attempt's
 *   check allowed (connection-pools.ts says why that is as safe). Proxies from HTTP(S)_PROXY are
 *   never used.
 *
 * The result never throws; `error` is a stable code for the delivery log, `detail` a short
 * technical note for operators.
 */
import { performance } from 'node:perf_hooks';
import type { Client, Dispatcher } from 'undici';
import { type ConnectionPools, PinnedPeerMismatch } from './connection-pools.ts';
import {
  type ConnectState,
  DeadlineExceeded,
  DestinationRefused,
  guardedConnector,
  pickAddress,
  refusalDetail,
} from './guarded-connector.ts';
import { checkDestination, type OutboundPolicy } from './ssrf-guard.ts';
import { loadUndici } from './undici-loader.ts';

export interface OutboundRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface DeliverOptions {
  policy: OutboundPolicy;
  timeoutMs: number;
  /** default 65536 */
  maxResponseBytes?: number;
  /** bind outbound sockets to this address (YEON_OUTBOUND_LOCAL_ADDRESS) */
  localAddress?: string;
  /** reuse keep-alive sockets per pinned address (connection-pools.ts) */
  pools?: ConnectionPools;
}

export type DeliveryError =
  | 'refused_destination'
  | 'timeout'
  | 'connect_failed'
  | 'redirect'
  | 'http_error'
  | 'too_large'
  | 'protocol_error';

export interface DeliveryResult {
  ok: boolean;
  status?: number;
  latencyMs: number;
  error?: DeliveryError | string;
  detail?: string;
  /** first characters of the response body, control characters removed (never the whole body) */
  responseExcerpt?: string;
  retryAfterMs?: number;
  /** the peer address actually connected to (normalised) */
  remoteAddress?: string;
  /** the body read (≤ maxResponseBytes, UTF-8), for parsing deletion receipts */
  responseBody?: string;
  /** true when the body was longer than maxResponseBytes and was cut */
  responseTruncated?: boolean;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 65_536;
const EXCERPT_CHARS = 1024;

/**
 * `Retry-After` as milliseconds from `nowMs`: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Dates in the past give 0; anything unparsable gives undefined.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs = Date.now(),
): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) {
    const seconds = Number(v);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined;
  }
  // HTTP dates always name the weekday and the GMT zone; Date.parse alone accepts far too much.
  if (!/^[A-Za-z]{3},? .*\bGMT$/.test(v) && !/^[A-Za-z]+, \d{2}-[A-Za-z]{3}-\d{2} .*GMT$/.test(v)) {
    return undefined;
  }
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

function sanitizeExcerpt(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').slice(0, EXCERPT_CHARS);
}

function classifyFailure(err: unknown, state: ConnectState): { error: DeliveryError; detail: string } {
  if (err instanceof DeadlineExceeded) return { error: 'timeout', detail: 'deadline exceeded' };
  if (err instanceof PinnedPeerMismatch)
    return { error: 'refused_destination', detail: `blocked_address ${err.peer ?? ''}`.trim() };
  if (err instanceof DestinationRefused || state.refusal) {
    const check = err instanceof DestinationRefused ? err.check : state.refusal!;
    return { error: 'refused_destination', detail: refusalDetail(check) };
  }
  const code = (err as { code?: string } | null)?.code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (/TIMEOUT/.test(code)) return { error: 'timeout', detail: code };
  if (code === 'UND_ERR_HEADERS_OVERFLOW')
    return { error: 'too_large', detail: 'response headers too large' };
  if (code.startsWith('HPE_')) return { error: 'protocol_error', detail: code };
  if (code === 'UND_ERR_SOCKET') return { error: 'connect_failed', detail: `socket closed: ${message}` };
  return { error: 'connect_failed', detail: code || message };
}

/** Send one request under the SSRF guard and the delivery caps; never throws. */
export async function deliverOnce(
  request: OutboundRequest,
  options: DeliverOptions,
): Promise<DeliveryResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const state: ConnectState = {};

  const controller = new AbortController();
  const deadline = new DeadlineExceeded();
  let rejectDeadline: (e: Error) => void = () => {};
  const deadlinePromise = new Promise<never>((_, reject) => {
    rejectDeadline = reject;
  });
  deadlinePromise.catch(() => {});
  const timer = setTimeout(() => {
    controller.abort(deadline);
    rejectDeadline(deadline);
  }, options.timeoutMs);

  let client: Client | undefined;
  let pooled: Dispatcher | undefined;
  let status: number | undefined;
  try {
    const early = await Promise.race([checkDestination(request.url, options.policy), deadlinePromise]);
    if (!early.ok) {
      return { ok: false, latencyMs: latency(), error: 'refused_destination', detail: refusalDetail(early) };
    }
    const { Client } = await loadUndici();
    const url = new URL(request.url);
    let dispatcher: Dispatcher;
    let pinned: string | undefined;
    if (options.pools) {
      // The address this check allowed, and no other: a later DNS answer never reaches this pool.
      pinned = pickAddress(early.addresses, options.localAddress);
      const { localAddress, timeoutMs } = options;
      dispatcher = pooled = options.pools.get({
        url,
        address: pinned,
        localAddress,
        connectTimeoutMs: timeoutMs,
      });
    } else {
      dispatcher = client = new Client(url.origin, {
        connect: guardedConnector(url, options, state, controller.signal),
        pipelining: 1,
      });
    }
    const res = await dispatcher.request({
      path: `${url.pathname}${url.search}`,
      method: request.method,
      // The pool's origin is the IP; the request still names the registered host (RFC 9110 §7.2).
      headers: pinned ? { ...request.headers, host: url.host } : request.headers,
      body: request.body,
      signal: controller.signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    if (pinned) state.remoteAddress = pinned;
    status = res.statusCode;
    const retryAfterMs = parseRetryAfter(res.headers['retry-after']);

    // Read at most maxBytes, then drop the connection instead of draining the rest.
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      const room = maxBytes - size;
      if (chunk.length >= room) {
        chunks.push(chunk.subarray(0, room));
        size += room;
        truncated = chunk.length > room;
        if (truncated) break;
      } else {
        chunks.push(chunk);
        size += chunk.length;
      }
    }
    if (truncated) {
      res.body.destroy();
      if (pooled) await options.pools?.discard(pooled);
    }
    const text = Buffer.concat(chunks, size).toString('utf8');
    const base: DeliveryResult = {
      ok: false,
      status,
      latencyMs: latency(),
      remoteAddress: state.remoteAddress,
      responseExcerpt: sanitizeExcerpt(text),
      responseBody: text,
      responseTruncated: truncated,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
    if (status >= 200 && status < 300) return { ...base, ok: true };
    if (status >= 300 && status < 400) {
      const location = res.headers.location;
      return {
        ...base,
        error: 'redirect',
        detail: `redirect not followed${location ? ` (Location: ${String(location).slice(0, 200)})` : ''}`,
      };
    }
    return { ...base, error: 'http_error', detail: `HTTP ${status}` };
  } catch (err) {
    if (pooled) await options.pools?.discard(pooled);
    const failure = controller.signal.aborted
      ? {
          error: 'timeout' as const,
          detail: status ? `deadline exceeded after HTTP ${status}` : 'deadline exceeded',
        }
      : classifyFailure(err, state);
    return {
      ok: false,
      latencyMs: latency(),
      ...(status !== undefined ? { status } : {}),
      ...(state.remoteAddress ? { remoteAddress: state.remoteAddress } : {}),
      ...failure,
    };
  } finally {
    clearTimeout(timer);
    if (client) client.destroy().catch(() => {});
  }
}
