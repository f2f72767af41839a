/**
 * Per-app API rate limits in fixed windows, counted in the database so that every yeon process on
 * it shares one count (an in-memory counter would multiply the limit by the number of instances).
 *
 * One statement per call: an upsert that inserts the window's row with 1 or adds 1 to it, and
 * returns the new count (INSERT … ON CONFLICT DO UPDATE … RETURNING, on SQLite and PostgreSQL).
 * The database serialises concurrent upserts on the row, so no two calls read the same count.
 * The first call of a window deletes the app's older windows for that API: the table holds about
 * one row per app and limited API.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';

export interface QuotaRule {
  /** the limit's name in the table */
  api: string;
  /** calls allowed per window and app */
  limit: number;
  windowMs: number;
}

/** Kakao REST API "Retrieve user list" (GET /v1/user/ids): 100 calls per minute per app. */
export const USER_IDS_QUOTA: QuotaRule = { api: 'user_ids', limit: 100, windowMs: 60_000 };

/** A refusal says how long until the window ends (the Retry-After of RFC 6585 §4). */
export type QuotaDecision =
  | { allowed: true; remaining: number }
  | { allowed: false; retryAfterSeconds: number };

/** Counts one call of `appId` against `rule` at `now` (epoch ms) and says whether it may proceed. */
export async function takeApiCall(
  db: Kysely<Database>,
  appId: number,
  rule: QuotaRule,
  now: number,
): Promise<QuotaDecision> {
  const windowStart = now - (now % rule.windowMs);
  const row = await db
    .insertInto('api_quota_windows')
    .values({ app_id: appId, api: rule.api, window_start: windowStart, calls: 1 })
    .onConflict((oc) =>
      oc
        .columns(['app_id', 'api', 'window_start'])
        .doUpdateSet((eb) => ({ calls: eb('api_quota_windows.calls', '+', 1) })),
    )
    .returning('calls')
    .executeTakeFirstOrThrow();
  const calls = Number(row.calls);
  if (calls === 1) {
    await db
      .deleteFrom('api_quota_windows')
      .where('app_id', '=', appId)
      .where('api', '=', rule.api)
      .where('window_start', '<', windowStart)
      .execute();
  }
  if (calls <= rule.limit) return { allowed: true, remaining: rule.limit - calls };
  return { allowed: false, retryAfterSeconds: Math.ceil((windowStart + rule.windowMs - now) / 1000) };
}
