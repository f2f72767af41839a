/**
 * Notification delivery: the attempt log, deletion receipts and failure bookkeeping on
 * `notifications`, and per-app event subscriptions and callback health on `apps`.
 * SQLite adds one column per ALTER TABLE, so every column is its own statement.
 */
import type { Kysely } from 'kysely';

const NOTIFICATION_COLUMNS: Array<[string, 'text' | 'bigint' | 'integer']> = [
  ['failed_at', 'bigint'],
  ['deletion_confirmation_code', 'text'],
  ['deletion_status_url', 'text'],
  ['deletion_confirmed_at', 'bigint'],
];

const APP_COLUMNS: Array<[string, 'text' | 'bigint']> = [
  ['notify_events', 'text'],
  ['unlink_paused_reason', 'text'],
  ['unlink_paused_at', 'bigint'],
  ['notify_failing_since', 'bigint'],
  ['notify_last_success_at', 'bigint'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notification_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('detail', 'text')
    .addColumn('response_excerpt', 'text')
    .addColumn('remote_address', 'text')
    .addColumn('worker', 'text')
    .execute();
  await db.schema
    .createIndex('notification_attempts_notification_idx')
    .on('notification_attempts')
    .columns(['notification_id', 'started_at'])
    .execute();

  for (const [name, type] of NOTIFICATION_COLUMNS)
    await db.schema.alterTable('notifications').addColumn(name, type).execute();
  await db.schema
    .alterTable('notifications')
    .addColumn('is_test', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // The delivery log lists one app's notifications newest first, optionally by status.
  await db.schema
    .createIndex('notifications_app_status_idx')
    .on('notifications')
    .columns(['app_id', 'status', 'id'])
    .execute();

  for (const [name, type] of APP_COLUMNS) await db.schema.alterTable('apps').addColumn(name, type).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name] of APP_COLUMNS) await db.schema.alterTable('apps').dropColumn(name).execute();
  await db.schema.dropIndex('notifications_app_status_idx').execute();
  await db.schema.alterTable('notifications').dropColumn('is_test').execute();
  for (const [name] of NOTIFICATION_COLUMNS)
    await db.schema.alterTable('notifications').dropColumn(name).execute();
  await db.schema.dropTable('notification_attempts').execute();
}
