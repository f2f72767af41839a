/**
 * The bridge from the console's "Send test notification" to the notifier's one real,
 * signed delivery (src/modules/notifications/test-notification.ts). Kept here so the apps service
 * only sees a function `(app, secrets) → result` and tests can swap it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { sendTestNotification } from '../notifications/test-notification.ts';
import type { AppsDeps } from './apps.context.ts';

/** Kakao gives a webhook receiver 3 seconds (Kakao "Unlink webhook": answer 200 OK within 3 s). */
export const TEST_NOTIFICATION_TIMEOUT_MS = 3000;

export function createTestNotifier(options: {
  outboundAllow: string[];
  now: () => number;
  /** where each test is written to the delivery log (test-notification.ts) */
  db?: Kysely<Database>;
  timeoutMs?: number;
}): NonNullable<AppsDeps['sendTestNotification']> {
  return async (app, secrets) => {
    const result = await sendTestNotification(
      {
        id: app.id,
        unlink_callback_url: app.unlink_callback_url ?? '',
        unlink_method: app.unlink_method === 'GET' ? 'GET' : 'POST',
        unlink_format: app.unlink_format === 'json' ? 'json' : 'kakao',
        adminKey: app.admin_key ?? '',
      },
      secrets,
      {
        policy: { allow: options.outboundAllow },
        timeoutMs: options.timeoutMs ?? TEST_NOTIFICATION_TIMEOUT_MS,
        now: options.now,
        db: options.db,
      },
    );
    return {
      ok: result.ok,
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.error ? { error: result.error } : {}),
      duration_ms: Math.round(result.latencyMs),
      ...(result.responseExcerpt ? { response_excerpt: result.responseExcerpt } : {}),
    };
  };
}
