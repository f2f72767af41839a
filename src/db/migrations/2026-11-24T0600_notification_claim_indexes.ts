/**
 * Indexes for a bounded claim (src/modules/notifications/delivery.repo.ts):
 * - `notifications_pending_due_idx`: the pending rows only, in claim order (next_attempt_at, id),
 *   so the oldest due rows are read from the front of the index and the read stops at its LIMIT,
 *   however long the backlog or the delivered history. Partial, so delivered and failed rows do
 *   not sit in it. It replaces `notifications_due_idx` (status, next_attempt_at), whose order
 *   lacked the id tie-break and so made every claim sort the whole backlog.
 * - `notifications_leased_idx`: the rows under a lease (in flight, or left by a dead dispatcher),
 *   for the per-app busy counts; they are few, whatever the backlog.
 * Both partial-index predicates are written literally in the claim's SQL so that SQLite and
 * PostgreSQL can prove the index applies.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('notifications_pending_due_idx')
    .on('notifications')
    .columns(['next_attempt_at', 'id'])
    .where(sql.ref('status'), '=', sql.lit('pending'))
    .execute();
  await db.schema
    .createIndex('notifications_leased_idx')
    .on('notifications')
    .columns(['lease_until', 'app_id'])
    .where(sql.ref('lease_until'), 'is not', null)
    .execute();
  await db.schema.dropIndex('notifications_due_idx').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('notifications_due_idx')
    .on('notifications')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema.dropIndex('notifications_leased_idx').execute();
  await db.schema.dropIndex('notifications_pending_due_idx').execute();
}
