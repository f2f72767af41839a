/**
 * Per-app API call counters for Kakao's rate limits (Kakao REST API "Retrieve user list": at most
 * 100 calls per minute per app, then -10 with HTTP 429, RFC 6585 §4). One row per (app, API, fixed
 * window), bumped by a single upsert, so every yeon process on the database shares the count.
 * Rows of past windows are deleted by the next window's first call (modules/apps/api-quota.ts);
 * an app's rows go with the app.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_quota_windows')
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    // which limit, e.g. 'user_ids'
    .addColumn('api', 'text', (c) => c.notNull())
    // epoch ms at which the fixed window starts
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('api_quota_windows_pk', ['app_id', 'api', 'window_start'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('api_quota_windows').execute();
}
