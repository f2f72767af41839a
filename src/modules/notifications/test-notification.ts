/**
 * "Send test notification" in the developer console: one real,
 * signed delivery to the app's unlink callback, through the same SSRF guard and caps as real
 * notifications, so a green result means real ones will get through too.
 *
 * A test notification is the real wire format with three markers receivers can rely on
 * (documented in packages/unlink-receiver/README.md):
 * - header `x-yeon-test: 1`;
 * - `webhook-id` starting with `test_` (never a real notification id, which start `msg_`);
 * - `user_id=0` (never a real app user id).
 * `referrer_type` stays `UNLINK_FROM_APPS`, a value every Kakao receiver already accepts, so a
 * strict receiver does not answer 400 to the test. The test is never retried: given a database,
 * it is written to the delivery log already settled (delivered or failed, `is_test = 1`, one
 * attempt), so the dispatcher never claims it, and a 2xx counts as the callback's last success.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors/catalogue.ts';
import { newId } from '../../lib/ids.ts';
import { takeCooldown } from '../abuse/cooldown.ts';
import { type DeliveryResult, deliverOnce } from '../outbound/http-client.ts';
import type { OutboundPolicy } from '../outbound/ssrf-guard.ts';
import { buildUnlinkRequest } from './wire-format.ts';

export const TEST_HEADER = 'x-yeon-test';
export const TEST_ID_PREFIX = 'test_';
export const TEST_USER_ID = '0';

export interface TestNotificationApp {
  id: number;
  unlink_callback_url: string;
  unlink_method: 'GET' | 'POST';
  unlink_format: 'kakao' | 'json';
  adminKey: string;
}

export interface TestNotificationResult extends Omit<DeliveryResult, 'responseBody'> {
  request: {
    webhookId: string;
    method: 'GET' | 'POST';
    url: string;
    format: 'kakao' | 'json';
    /** headers as sent, with the admin key masked (the page shows them to every app member) */
    headers: Record<string, string>;
    body?: string;
  };
}

/** Default time between two test notifications of one app (`YEON_TEST_NOTIFICATION_COOLDOWN_SECONDS`). */
export const TEST_NOTIFICATION_COOLDOWN_MS = 30_000;

/**
 * One test notification per app per cooldown, counted in the database so every instance shares
 * it. Each test is a real request to a URL the app's developers chose; without a limit the button
 * (or the API) would make yeon send requests there at any rate (OWASP ASVS V11.1.4).
 * @throws AppError('test_notification_cooldown') with the seconds left; nothing is sent then.
 */
export async function takeTestNotificationTurn(
  db: Kysely<Database>,
  appId: number,
  cooldownMs: number,
  now: number,
): Promise<void> {
  const decision = await takeCooldown(db, 'test_notification', String(appId), cooldownMs, now);
  if (decision.allowed) return;
  throw new AppError('test_notification_cooldown', {
    params: { seconds: decision.retryAfterSeconds },
    retryAfterSeconds: decision.retryAfterSeconds,
  });
}

function maskAuthorization(value: string): string {
  const key = value.replace(/^KakaoAK\s+/, '');
  return `KakaoAK ${'•'.repeat(8)}${key.slice(-4)}`;
}

/**
 * The test as the delivery log shows it: a settled notification with its one attempt, in one
 * transaction. Only `notify_last_success_at` moves on the app: a test says nothing about the real
 * notifications waiting, so it neither ends a failing streak nor resumes a paused callback.
 */
export async function recordTestNotification(
  db: Kysely<Database>,
  input: { appId: number; webhookId: string; startedAt: number; finishedAt: number; result: DeliveryResult },
): Promise<void> {
  const { appId, webhookId, startedAt, finishedAt, result } = input;
  const error = result.ok ? null : String(result.error ?? 'failed');
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('notifications')
      .values({
        id: webhookId,
        app_id: appId,
        event_type: 'user.unlinked',
        referrer_type: 'UNLINK_FROM_APPS',
        app_user_id: Number(TEST_USER_ID),
        data: '{}',
        status: result.ok ? 'delivered' : 'failed',
        attempts: 1,
        next_attempt_at: startedAt,
        lease_until: null,
        lease_owner: null,
        created_at: startedAt,
        delivered_at: result.ok ? finishedAt : null,
        failed_at: result.ok ? null : finishedAt,
        last_attempt_at: finishedAt,
        last_error: error,
        is_test: 1,
      })
      .execute();
    await trx
      .insertInto('notification_attempts')
      .values({
        id: newId('att_'),
        notification_id: webhookId,
        app_id: appId,
        attempt: 1,
        started_at: startedAt,
        latency_ms: Math.max(0, Math.round(result.latencyMs)),
        status_code: result.status ?? null,
        error,
        detail: result.ok ? null : (result.detail?.slice(0, 500) ?? null),
        response_excerpt: result.responseExcerpt || null,
        remote_address: result.remoteAddress ?? null,
        worker: null,
      })
      .execute();
    if (result.ok)
      await trx
        .updateTable('apps')
        .set({ notify_last_success_at: finishedAt })
        .where('id', '=', appId)
        .where((eb) =>
          eb.or([eb('notify_last_success_at', 'is', null), eb('notify_last_success_at', '<', finishedAt)]),
        )
        .execute();
  });
}

export async function sendTestNotification(
  app: TestNotificationApp,
  secrets: string[],
  options: {
    policy: OutboundPolicy;
    timeoutMs: number;
    localAddress?: string;
    now?: () => number;
    /** where the test is logged (recordTestNotification); without one it is only reported */
    db?: Kysely<Database>;
  },
): Promise<TestNotificationResult> {
  const webhookId = `${TEST_ID_PREFIX}${randomBytes(12).toString('hex')}`;
  const nowMs = (options.now ?? Date.now)();
  const request = buildUnlinkRequest({
    url: app.unlink_callback_url,
    method: app.unlink_method,
    format: app.unlink_format,
    adminKey: app.adminKey,
    appId: app.id,
    userId: TEST_USER_ID,
    referrerType: 'UNLINK_FROM_APPS',
    notificationId: webhookId,
    timestamp: Math.floor(nowMs / 1000),
    occurredAt: nowMs,
    secrets,
    extraHeaders: { [TEST_HEADER]: '1' },
  });
  const result = await deliverOnce(request, {
    policy: options.policy,
    timeoutMs: options.timeoutMs,
    localAddress: options.localAddress,
  });
  if (options.db)
    await recordTestNotification(options.db, {
      appId: app.id,
      webhookId,
      startedAt: nowMs,
      finishedAt: (options.now ?? Date.now)(),
      result,
    });
  const headers = { ...request.headers };
  if (headers.authorization) headers.authorization = maskAuthorization(headers.authorization);
  // The page shows the sanitised excerpt only, never the whole response (§3.3: no read oracle).
  const shown: DeliveryResult = { ...result };
  delete shown.responseBody;
  return {
    ...shown,
    request: {
      webhookId,
      method: request.method,
      url: request.url,
      format: app.unlink_format,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    },
  };
}
