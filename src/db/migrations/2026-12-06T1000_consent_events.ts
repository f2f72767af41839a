/**
 * Consent events kept apart from the current grant, so a withdrawal stays in a person's history
 * after they agree again: `connection_consents` holds one row per item and link, and re-agreeing
 * overwrites it. One row here per agreement to or withdrawal of an optional item, written in the
 * transaction that changes the grant. Goes with its account (ON DELETE CASCADE), like the links.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('consent_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  // The history page and the download read one account's events in time order.
  await db.schema
    .createIndex('consent_events_account_idx')
    .on('consent_events')
    .columns(['account_id', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('consent_events').execute();
}
