/**
 * An app deleted by its developer disappears at once but its row stays until every unlink
 * notification it owes has been delivered or given up: the dispatcher reads the callback URL,
 * admin key and signing secrets from the app (notifications/delivery.ts). `deleted_at` (epoch ms)
 * marks such an app; every lookup by id, key or member refuses it, and purgeDeletedApps
 * (modules/apps/app-deletion.ts) removes the row, and with it every row that references it
 * (ON DELETE CASCADE), once nothing is pending.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('deleted_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').dropColumn('deleted_at').execute();
}
