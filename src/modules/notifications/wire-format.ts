/**
 * The bytes of an outbound notification (Kakao "Unlink webhook" request, or Standard Webhooks JSON).
 *
 * Kakao format (default, so existing Kakao receivers work unchanged):
 * - GET: `app_id`, `user_id`, `referrer_type` appended to the registered URL's query string
 *   (an existing query is kept byte for byte, ours follow after `&`; a fragment is dropped);
 * - POST: the same three fields as an `application/x-www-form-urlencoded` body;
 * - `Authorization: KakaoAK {admin key}`; all values are strings, as Kakao sends them.
 *
 * JSON format (opt-in): always POST `application/json`, body `{"type","timestamp","data"}`.
 *
 * Every request carries Standard Webhooks headers (signing.ts). The signed payload is:
 * - for a body (POST, either format): the exact body string;
 * - for GET: the exact, complete query string of the final URL without the leading `?`,
 *   i.e. the registered URL's own query (if any), `&`, then our three fields. A receiver signs
 *   what it sees after `?` in the request target, so it never has to know which part was ours.
 */
import { webhookHeaders } from './signing.ts';

export interface OutboundRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export type UnlinkReferrerType =
  | 'UNLINK_FROM_APPS'
  | 'ACCOUNT_DELETE'
  | 'UNLINK_FROM_ADMIN'
  | 'FORCED_ACCOUNT_DELETE'
  | 'INCOMPLETE_SIGN_UP';

export interface UnlinkRequestInput {
  url: string;
  method: 'GET' | 'POST';
  format: 'kakao' | 'json';
  adminKey: string;
  appId: number | string;
  userId: number | string;
  referrerType: UnlinkReferrerType | string;
  /** the notification id: `webhook-id`, the same on every retry */
  notificationId: string;
  /** Unix seconds of this attempt: `webhook-timestamp` */
  timestamp: number;
  /** `whsec_…` secrets, newest first (two during a rotation overlap) */
  secrets: string[];
  /** JSON format only: when the unlink happened (epoch ms); default = `timestamp` */
  occurredAt?: number;
  /** extra headers (e.g. the test marker); never override the signed ones */
  extraHeaders?: Record<string, string>;
}

export const USER_AGENT = 'yeon-webhooks/1.0';
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded;charset=utf-8';
export const JSON_CONTENT_TYPE = 'application/json';

/** The registered URL, WHATWG-serialised (what goes on the wire), without its fragment. */
function baseUrl(url: string): URL {
  const u = new URL(url);
  u.hash = '';
  return u;
}

/** Append our query to the URL's own; returns the final URL and the exact query string signed. */
export function appendQuery(url: string, ours: string): { url: string; query: string } {
  const u = baseUrl(url);
  const existing = u.search.slice(1);
  const query = existing ? `${existing}&${ours}` : ours;
  return { url: `${u.origin}${u.pathname}?${query}`, query };
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString();
}

function signedHeaders(id: string, timestamp: number, payload: string, secrets: string[]) {
  return webhookHeaders({ id, timestamp, payload, secrets });
}

/** The unlink callback request in the app's chosen method and format. */
export function buildUnlinkRequest(input: UnlinkRequestInput): OutboundRequest {
  const fields = {
    app_id: String(input.appId),
    user_id: String(input.userId),
    referrer_type: String(input.referrerType),
  };
  const common = {
    'user-agent': USER_AGENT,
    ...input.extraHeaders,
    authorization: `KakaoAK ${input.adminKey}`,
  };
  if (input.format === 'json') {
    return buildJson({
      url: input.url,
      type: 'user.unlinked',
      occurredAt: input.occurredAt ?? input.timestamp * 1000,
      data: fields,
      notificationId: input.notificationId,
      timestamp: input.timestamp,
      secrets: input.secrets,
      headers: common,
    });
  }
  const form = new URLSearchParams(fields).toString();
  if (input.method === 'GET') {
    const { url, query } = appendQuery(input.url, form);
    return {
      url,
      method: 'GET',
      headers: { ...common, ...signedHeaders(input.notificationId, input.timestamp, query, input.secrets) },
    };
  }
  return {
    url: baseUrl(input.url).href,
    method: 'POST',
    headers: {
      ...common,
      'content-type': FORM_CONTENT_TYPE,
      ...signedHeaders(input.notificationId, input.timestamp, form, input.secrets),
    },
    body: form,
  };
}

function buildJson(input: {
  url: string;
  type: string;
  occurredAt: number;
  data: Record<string, unknown>;
  notificationId: string;
  timestamp: number;
  secrets: string[];
  headers: Record<string, string>;
}): OutboundRequest {
  const body = JSON.stringify({
    type: input.type,
    timestamp: isoSeconds(input.occurredAt),
    data: input.data,
  });
  return {
    url: baseUrl(input.url).href,
    method: 'POST',
    headers: {
      ...input.headers,
      'content-type': JSON_CONTENT_TYPE,
      ...signedHeaders(input.notificationId, input.timestamp, body, input.secrets),
    },
    body,
  };
}

export type JsonEventType = 'user.unlinked' | 'user.scope_withdrawn' | 'user.linked';

/**
 * A JSON-format event (apps may subscribe to `user.scope_withdrawn` and `user.linked`,
 * JSON only). `data` should stay thin: ids and scope names, no profile data.
 */
export function buildEventRequest(input: {
  url: string;
  type: JsonEventType | string;
  data: Record<string, unknown>;
  notificationId: string;
  /** Unix seconds of this attempt */
  timestamp: number;
  secrets: string[];
  /** when the event happened (epoch ms); default = `timestamp` */
  occurredAt?: number;
  /** sent as `Authorization: KakaoAK …` when given, like the unlink callback */
  adminKey?: string;
  extraHeaders?: Record<string, string>;
}): OutboundRequest {
  return buildJson({
    url: input.url,
    type: input.type,
    occurredAt: input.occurredAt ?? input.timestamp * 1000,
    data: input.data,
    notificationId: input.notificationId,
    timestamp: input.timestamp,
    secrets: input.secrets,
    headers: {
      'user-agent': USER_AGENT,
      ...input.extraHeaders,
      ...(input.adminKey ? { authorization: `KakaoAK ${input.adminKey}` } : {}),
    },
  });
}
