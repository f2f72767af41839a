/**
 * Authenticating an unlink callback, two independent ways:
 * - `Authorization: KakaoAK {admin key}`, the Kakao-compatible check (Kakao "Unlink webhook");
 * - Standard Webhooks signatures (`webhook-id`, `webhook-timestamp`, `webhook-signature`), which
 *   also bind the body and the time and survive secret rotation.
 * All comparisons are constant time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HeadersLike =
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined>;

/** A header value by case-insensitive name (first value when repeated). */
export function getHeader(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== lower) continue;
    const v = record[key];
    return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/** Equal-length digests, so neither content nor length leaks through timing. */
function digestEqual(a: string | Buffer, b: string | Buffer): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/**
 * true when `header` is `KakaoAK <key>` for one of the given admin keys (pass several while an
 * admin key is being rotated). Every key is compared, so timing does not tell which one matched.
 */
export function verifyKakaoAK(
  header: string | null | undefined,
  adminKey: string | readonly string[],
): boolean {
  const keys = (typeof adminKey === 'string' ? [adminKey] : adminKey).filter((k) => k.length > 0);
  if (keys.length === 0) throw new Error('verifyKakaoAK needs at least one admin key');
  const m = /^KakaoAK[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  const given = m?.[1] ?? '';
  let ok = false;
  for (const key of keys) if (digestEqual(given, key)) ok = true;
  return ok && m !== null;
}

export type WebhookVerification =
  | { ok: true; id: string; timestamp: number }
  | {
      ok: false;
      reason:
        | 'missing_headers'
        | 'bad_timestamp'
        | 'timestamp_too_old'
        | 'timestamp_too_new'
        | 'bad_signature';
    };

function decodeSecret(secret: string): Buffer {
  const b64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(b64, 'base64');
  if (key.length === 0) throw new Error('webhook secret is empty');
  return key;
}

/**
 * Verify Standard Webhooks headers over `payload` (the exact body; for a GET callback the exact
 * query string after `?`, see `signedPayload`). Any of `secrets` may match (rotation: keep the
 * old secret here until the overlap ends). `now` is epoch milliseconds (or a Date); the timestamp
 * must be within ±`toleranceSec` (default 300 s, as the reference libraries).
 */
export function verifyStandardWebhook(
  headers: HeadersLike,
  payload: string | Buffer,
  secrets: readonly string[],
  options: { toleranceSec?: number; now?: number | Date } = {},
): WebhookVerification {
  if (secrets.length === 0) throw new Error('verifyStandardWebhook needs at least one secret');
  const id = getHeader(headers, 'webhook-id');
  const ts = getHeader(headers, 'webhook-timestamp');
  const signatures = getHeader(headers, 'webhook-signature');
  if (!id || !ts || !signatures) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,15}$/.test(ts)) return { ok: false, reason: 'bad_timestamp' };
  const timestamp = Number(ts);
  const nowMs = options.now instanceof Date ? options.now.getTime() : (options.now ?? Date.now());
  const nowSec = Math.floor(nowMs / 1000);
  const tolerance = options.toleranceSec ?? 300;
  if (nowSec - timestamp > tolerance) return { ok: false, reason: 'timestamp_too_old' };
  if (timestamp - nowSec > tolerance) return { ok: false, reason: 'timestamp_too_new' };

  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const expected = secrets.map((secret) =>
    createHmac('sha256', decodeSecret(secret)).update(`${id}.${ts}.`, 'utf8').update(body).digest('base64'),
  );
  let matched = false;
  for (const entry of signatures.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma === -1 || entry.slice(0, comma) !== 'v1') continue;
    const given = entry.slice(comma + 1);
    for (const e of expected) if (digestEqual(given, e)) matched = true;
  }
  return matched ? { ok: true, id, timestamp } : { ok: false, reason: 'bad_signature' };
}
