/**
 * The claim finds the apps with pending rows by a loose index scan and takes each app's oldest
 * due rows with one seek (src/modules/notifications/delivery.repo.ts), so its cost
 * follows the number of waiting apps, not the backlog: an app at its per-app limit, or paused,
 * with a long backlog is skipped in one step instead of row by row.
 * `notifications_pending_app_idx`: pending rows only, by (app_id, next_attempt_at, id). It
 * replaces `notifications_pending_due_idx` (migration 0600 claim indexes), whose order by time
 * alone had to be walked past such backlogs. The predicate is written literally in the claim's
 * SQL so that SQLite and PostgreSQL can prove the partial index applies.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('notifications_pending_app_idx')
    .on('notifications')
    .columns(['app_id', 'next_attempt_at', 'id'])
    .where(sql.ref('status'), '=', sql.lit('pending'))
    .execute();
  await db.schema.dropIndex('notifications_pending_due_idx').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('notifications_pending_due_idx')
    .on('notifications')
    .columns(['next_attempt_at', 'id'])
    .where(sql.ref('status'), '=', sql.lit('pending'))
    .execute();
  await db.schema.dropIndex('notifications_pending_app_idx').execute();
}
