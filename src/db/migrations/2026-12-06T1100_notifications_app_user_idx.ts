/**
 * Index on notifications(app_id, app_user_id): the history page and the receipts find a person's
 * notifications through their app user ids (`app_user_ids` joined on both columns), which the
 * existing indexes (status/next_attempt_at, app_id/created_at) do not serve.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('notifications_app_user_idx')
    .on('notifications')
    .columns(['app_id', 'app_user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('notifications_app_user_idx').execute();
}
