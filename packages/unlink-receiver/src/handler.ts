/**
 * handleUnlinkRequest: the whole receiving side in one framework-neutral call, used by the
 * Express and Fastify examples: authenticate → parse → check app_id → deduplicate → your code.
 *
 * Status codes, chosen for how yeon retries:
 * - 200 processed, or already processed (duplicate `webhook-id`), or a test notification;
 * - 401 authentication failed (wrong KakaoAK or signature, stale timestamp);
 * - 400 not an unlink callback, or for another app;
 * - 500 your `onUnlink` threw: yeon retries later with the same `webhook-id`.
 * `onUnlink` may return a deletion receipt `{ confirmation_code, status_url }`; it is sent back as
 * JSON and shown to the person in yeon.
 */
import type { IdempotencyStore } from './idempotency.ts';
import {
  parseUnlinkRequest,
  signedPayload,
  type UnlinkEvent,
  UnlinkRequestError,
  type UnlinkRequestLike,
} from './parse.ts';
import { getHeader, verifyKakaoAK, verifyStandardWebhook } from './verify.ts';

export interface DeletionReceipt {
  confirmation_code: string;
  status_url?: string;
}

export interface UnlinkHandlerOptions {
  /** admin key(s) to accept in `Authorization: KakaoAK …` */
  adminKey?: string | string[];
  /** `whsec_…` signing secret(s); when given, a valid Standard Webhooks signature is required */
  secrets?: string[];
  /** your app id: callbacks for another app are refused */
  appId?: string | number;
  store?: IdempotencyStore;
  toleranceSec?: number;
  now?: () => number;
  /**
   * Called once per new, authenticated event (also for test notifications: check `event.test`).
   * Return a DeletionReceipt to send it back; any other return value is ignored.
   */
  onUnlink(event: UnlinkEvent): unknown;
}

export interface UnlinkHandlerResult {
  status: 200 | 400 | 401 | 500;
  body: Record<string, unknown>;
  event?: UnlinkEvent;
  duplicate?: boolean;
}

function isReceipt(value: unknown): value is DeletionReceipt {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DeletionReceipt).confirmation_code === 'string'
  );
}

function receiptBody(r: DeletionReceipt): Record<string, unknown> {
  return {
    confirmation_code: r.confirmation_code,
    ...(typeof r.status_url === 'string' ? { status_url: r.status_url } : {}),
  };
}

export async function handleUnlinkRequest(
  request: UnlinkRequestLike,
  options: UnlinkHandlerOptions,
): Promise<UnlinkHandlerResult> {
  if (!options.adminKey && !options.secrets?.length) {
    throw new Error('handleUnlinkRequest needs adminKey and/or secrets to authenticate callbacks');
  }
  if (options.adminKey && !verifyKakaoAK(getHeader(request.headers, 'authorization'), options.adminKey)) {
    return { status: 401, body: { error: 'invalid_admin_key' } };
  }
  if (options.secrets?.length) {
    let payload: string;
    try {
      payload = signedPayload(request);
    } catch {
      return { status: 400, body: { error: 'raw_body_required' } };
    }
    const verdict = verifyStandardWebhook(request.headers, payload, options.secrets, {
      toleranceSec: options.toleranceSec,
      now: options.now?.(),
    });
    if (!verdict.ok) return { status: 401, body: { error: verdict.reason } };
  }

  let event: UnlinkEvent;
  try {
    event = parseUnlinkRequest(request);
  } catch (err) {
    if (err instanceof UnlinkRequestError)
      return { status: 400, body: { error: err.code, message: err.message } };
    throw err;
  }
  if (options.appId !== undefined && event.appId !== String(options.appId)) {
    return { status: 400, body: { error: 'app_id_mismatch' }, event };
  }
  if (event.id && options.store && (await options.store.seen(event.id))) {
    return { status: 200, body: { status: 'duplicate' }, event, duplicate: true };
  }
  let returned: unknown;
  try {
    returned = await options.onUnlink(event);
  } catch {
    return { status: 500, body: { error: 'processing_failed' }, event };
  }
  if (event.id && options.store) await options.store.remember(event.id);
  return { status: 200, body: isReceipt(returned) ? receiptBody(returned) : { status: 'ok' }, event };
}
