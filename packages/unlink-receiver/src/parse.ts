/**
 * Parsing an unlink callback in any of its shapes (Kakao "Unlink webhook"; Standard Webhooks JSON):
 * - GET with `app_id`, `user_id`, `referrer_type` in the query string (Kakao format);
 * - POST `application/x-www-form-urlencoded` with the same fields (Kakao format);
 * - POST `application/json`, either yeon's `{type, timestamp, data: {…}}` or a flat object.
 * Ids stay strings (Kakao sends strings; app user ids can exceed 2^53 in other providers).
 */
import { getHeader, type HeadersLike } from './verify.ts';

export interface UnlinkRequestLike {
  method: string;
  /** the request target as received (`/unlink?app_id=…`) or an absolute URL */
  url: string;
  headers: HeadersLike;
  /** the raw body (string or bytes); an already-parsed object is accepted for parsing only */
  body?: string | Uint8Array | Record<string, unknown> | null;
}

export interface UnlinkEvent {
  /** `webhook-id`: the same on every retry, use it to deduplicate (null from senders without it) */
  id: string | null;
  appId: string;
  userId: string;
  referrerType: string;
  /** true for the console's "Send test notification": do not delete anything */
  test: boolean;
  /** `user.unlinked` for the Kakao format; the JSON `type` otherwise */
  type: string;
  format: 'kakao' | 'json';
  /** JSON format: when the event happened (ISO 8601) */
  occurredAt?: string;
}

export class UnlinkRequestError extends Error {
  override name = 'UnlinkRequestError';
  constructor(
    readonly code: 'missing_field' | 'bad_json' | 'unsupported_media_type' | 'unsupported_method',
    message: string,
  ) {
    super(message);
  }
}

/** Test notifications carry `x-yeon-test: 1` and a `webhook-id` starting `test_` (and user_id 0). */
export function isTestNotification(headers: HeadersLike): boolean {
  return (
    getHeader(headers, 'x-yeon-test') === '1' || (getHeader(headers, 'webhook-id') ?? '').startsWith('test_')
  );
}

/** The raw query string of a request target, without `?` and without any fragment. */
export function rawQuery(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return '';
  const rest = url.slice(q + 1);
  const hash = rest.indexOf('#');
  return hash === -1 ? rest : rest.slice(0, hash);
}

function bodyText(body: UnlinkRequestLike['body']): string | null {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return null;
}

/**
 * The exact string the `webhook-signature` covers: the raw body for POST, the raw query string
 * (after `?`) for GET. Needs the raw body: a framework-parsed object cannot be verified.
 */
export function signedPayload(request: Pick<UnlinkRequestLike, 'method' | 'url' | 'body'>): string {
  if (request.method.toUpperCase() === 'GET') return rawQuery(request.url);
  const text = bodyText(request.body);
  if (text === null)
    throw new Error('signature verification needs the raw request body as a string or bytes');
  return text;
}

function pick(source: Record<string, unknown>, field: string): string {
  const v = source[field];
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new UnlinkRequestError('missing_field', `missing ${field}`);
}

function fromFields(
  source: Record<string, unknown>,
  headers: HeadersLike,
  extra: Partial<UnlinkEvent>,
): UnlinkEvent {
  return {
    id: getHeader(headers, 'webhook-id') ?? null,
    appId: pick(source, 'app_id'),
    userId: pick(source, 'user_id'),
    referrerType: pick(source, 'referrer_type'),
    test: isTestNotification(headers),
    type: 'user.unlinked',
    format: 'kakao',
    ...extra,
  };
}

function parseJson(body: UnlinkRequestLike['body']): Record<string, unknown> {
  const text = bodyText(body);
  if (text === null) return body as Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new UnlinkRequestError('bad_json', 'body is not a JSON object');
}

/** Parse a GET, form or JSON unlink callback. Throws UnlinkRequestError when it is not one. */
export function parseUnlinkRequest(request: UnlinkRequestLike): UnlinkEvent {
  const method = request.method.toUpperCase();
  if (method === 'GET') {
    return fromFields(Object.fromEntries(new URLSearchParams(rawQuery(request.url))), request.headers, {});
  }
  if (method !== 'POST')
    throw new UnlinkRequestError('unsupported_method', `method ${method} is not an unlink callback`);
  const type = (getHeader(request.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) {
    const json = parseJson(request.body);
    if (json.data && typeof json.data === 'object') {
      return fromFields(json.data as Record<string, unknown>, request.headers, {
        format: 'json',
        type: typeof json.type === 'string' ? json.type : 'user.unlinked',
        ...(typeof json.timestamp === 'string' ? { occurredAt: json.timestamp } : {}),
      });
    }
    return fromFields(json, request.headers, { format: 'json' });
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    const text = bodyText(request.body);
    const fields =
      text === null
        ? (request.body as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(text));
    return fromFields(fields, request.headers, {});
  }
  throw new UnlinkRequestError('unsupported_media_type', `content-type ${type} is not supported`);
}
