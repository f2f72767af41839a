/**
 * One notification → one HTTP request, and one delivery result → what happens next.
 * Pure apart from `loadTargets`, which reads the app's current settings: every
 * attempt uses the app's method, format, working admin key and live signing secrets *at the time
 * of the attempt*, so a key rotation or a URL fix applies to retries too.
 */
import { keyringOf, open } from '../../lib/encryption.ts';
import type { DeliveryResult } from '../outbound/http-client.ts';
import type { Executor, NotificationRow } from './delivery.repo.ts';
import { type DeletionReceipt, receiptFromResponse } from './receipts.ts';
import { nextAttemptAt } from './schedule.ts';
import { buildEventRequest, buildUnlinkRequest, type OutboundRequest } from './wire-format.ts';

export interface DeliveryTarget {
  appId: number;
  url: string;
  method: 'GET' | 'POST';
  format: 'kakao' | 'json';
  adminKey: string;
  /** newest first: two during a rotation overlap, so receivers with either secret verify */
  secrets: string[];
  active: boolean;
}

/** The app's delivery settings now, or undefined when the app (or its callback URL) is gone. */
export async function loadTarget(
  db: Executor,
  appId: number,
  now: number,
): Promise<DeliveryTarget | undefined> {
  return (await loadTargets(db, [appId], now)).get(appId);
}

/**
 * The delivery settings of several apps now, in three statements however many apps: the apps,
 * their live admin keys and their live signing secrets. The dispatcher reads them once per claim
 * for all the apps the claim touched, never keeping them past it, so a console change applies
 * from the next claim on. Apps without a callback URL (or gone) are missing from the map.
 */
export async function loadTargets(
  db: Executor,
  appIds: readonly number[],
  now: number,
): Promise<Map<number, DeliveryTarget>> {
  const targets = new Map<number, DeliveryTarget>();
  const ids = [...new Set(appIds)];
  if (ids.length === 0) return targets;
  // The same rows apps.repo.ts `findAppRow`, `liveKeys` and `liveWebhookSecrets` read, for all
  // the apps at once. A deleted app keeps its row and keys, so its notifications still go out.
  const [apps, keys, secrets] = await Promise.all([
    db
      .selectFrom('apps')
      .select(['id', 'unlink_callback_url', 'unlink_method', 'unlink_format', 'unlink_state'])
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('app_keys')
      .select(['app_id', 'key', 'expires_at'])
      .where('app_id', 'in', ids)
      .where('kind', '=', 'admin')
      .where('revoked_at', 'is', null)
      .orderBy('app_id')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute(),
    db
      .selectFrom('app_webhook_secrets')
      .select(['app_id', 'secret', 'expires_at'])
      .where('app_id', 'in', ids)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('app_id')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute(),
  ]);
  // The admin key and the signing secrets are stored sealed (src/lib/encryption.ts).
  const keyring = keyringOf(db);
  for (const app of apps) {
    const appId = Number(app.id);
    if (!app.unlink_callback_url) continue;
    // During a rotation overlap the callback carries the replaced admin key, the one the receiver
    // already checks (Kakao REST API "Unlink": `Authorization: KakaoAK`), until that key stops;
    // the developer stops it once the receiver knows the new one (app-key-rotation.ts). Keys come
    // newest first, so the last one still working is the oldest: the replaced one.
    const adminKey = keys
      .filter((k) => Number(k.app_id) === appId && (k.expires_at === null || Number(k.expires_at) > now))
      .at(-1)?.key;
    // Newest first, the secret without an end first: it is the current one (apps.repo.ts).
    const live = secrets
      .filter((s) => Number(s.app_id) === appId)
      .sort((a, b) => Number(a.expires_at !== null) - Number(b.expires_at !== null));
    targets.set(appId, {
      appId,
      url: app.unlink_callback_url,
      method: app.unlink_method === 'GET' ? 'GET' : 'POST',
      format: app.unlink_format === 'json' ? 'json' : 'kakao',
      adminKey: adminKey === undefined ? '' : open(keyring, adminKey),
      secrets: live.map((s) => open(keyring, s.secret)),
      active: app.unlink_state === 'active',
    });
  }
  return targets;
}

function eventData(row: NotificationRow): Record<string, unknown> {
  try {
    const data = JSON.parse(row.data) as unknown;
    return typeof data === 'object' && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/**
 * The request for one attempt. Unlinks use the app's format (Kakao by default); the other events
 * are JSON only. `webhook-id` is the notification id on every attempt;
 * `webhook-timestamp` is this attempt's time.
 * @throws Error when the app has no signing secret (recorded as a failed attempt)
 */
export function buildRequest(row: NotificationRow, target: DeliveryTarget, now: number): OutboundRequest {
  const timestamp = Math.floor(now / 1000);
  if (row.event_type === 'user.unlinked') {
    return buildUnlinkRequest({
      url: target.url,
      method: target.method,
      format: target.format,
      adminKey: target.adminKey,
      appId: row.app_id,
      userId: row.app_user_id,
      referrerType: row.referrer_type ?? 'UNLINK_FROM_APPS',
      notificationId: row.id,
      timestamp,
      occurredAt: row.created_at,
      secrets: target.secrets,
    });
  }
  return buildEventRequest({
    url: target.url,
    type: row.event_type,
    data: { ...eventData(row), app_id: String(row.app_id), user_id: String(row.app_user_id) },
    notificationId: row.id,
    timestamp,
    occurredAt: row.created_at,
    adminKey: target.adminKey,
    secrets: target.secrets,
  });
}

export type Outcome =
  | { kind: 'delivered'; receipt?: DeletionReceipt }
  | { kind: 'retry'; error: string; nextAttemptAt: number; gone: boolean }
  | { kind: 'failed'; error: string; gone: boolean };

/**
 * What a result means: any 2xx is delivered; `410 Gone` disables the callback (the
 * notification waits, like every other one of a paused app); anything else is retried on the
 * schedule, `Retry-After` only ever delaying it; with the attempts used up it is `failed`.
 */
export function decideOutcome(input: {
  row: NotificationRow;
  result: DeliveryResult;
  now: number;
  schedule: readonly number[];
  jitter: number;
  random?: () => number;
}): Outcome {
  const { row, result, now } = input;
  if (result.ok) {
    const receipt = row.event_type === 'user.unlinked' ? receiptFromResponse(result.responseBody) : undefined;
    return receipt ? { kind: 'delivered', receipt } : { kind: 'delivered' };
  }
  const gone = result.status === 410;
  const error = gone ? 'gone' : String(result.error ?? 'failed');
  const next = nextAttemptAt({
    now,
    attemptsMade: row.attempts + 1,
    schedule: input.schedule,
    jitter: input.jitter,
    retryAfterMs: result.retryAfterMs,
    random: input.random,
  });
  return next === undefined
    ? { kind: 'failed', error, gone }
    : { kind: 'retry', error, nextAttemptAt: next, gone };
}
