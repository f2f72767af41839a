/**
 * The console's delivery log lists one app's notifications newest first by (created_at, id),
 * filtered by status (log.repo.ts `listOfApp`): tests are logged there with ids that do not sort
 * by time, so the log no longer orders by id. This index serves that order under a status
 * filter, as `notifications_app_idx` (app_id, created_at) serves it unfiltered. No new column:
 * a test is marked by `is_test` (migration 0400).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('notifications_app_status_created_idx')
    .on('notifications')
    .columns(['app_id', 'status', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('notifications_app_status_created_idx').execute();
}
