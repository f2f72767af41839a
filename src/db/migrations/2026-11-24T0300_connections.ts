/**
 * Connections, agreed consent items, stable app user ids and the notification outbox.
 * A partial unique index keeps at most one live link per (app, account)
 * on both SQLite and PostgreSQL, while unlinked rows stay as history.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('app_user_ids')
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('app_user_id', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_user_ids_pk', ['app_id', 'account_id'])
    .addUniqueConstraint('app_user_ids_app_user_unique', ['app_id', 'app_user_id'])
    .execute();

  await db.schema
    .createTable('connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('app_user_id', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('connected_at', 'bigint', (c) => c.notNull())
    .addColumn('unlinked_at', 'bigint')
    .addColumn('unlinked_by', 'text')
    .addColumn('notification_id', 'text')
    .execute();
  await db.schema
    .createIndex('connections_one_live_link')
    .on('connections')
    .columns(['app_id', 'account_id'])
    .unique()
    .where(sql.ref('status'), '=', 'linked')
    .execute();
  await db.schema
    .createIndex('connections_account_idx')
    .on('connections')
    .columns(['account_id', 'status'])
    .execute();
  await db.schema
    .createIndex('connections_app_idx')
    .on('connections')
    .columns(['app_id', 'status', 'app_user_id'])
    .execute();

  await db.schema
    .createTable('connection_consents')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('agreed_at', 'bigint', (c) => c.notNull())
    .addColumn('withdrawn_at', 'bigint')
    .addPrimaryKeyConstraint('connection_consents_pk', ['connection_id', 'item'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('referrer_type', 'text')
    .addColumn('app_user_id', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addColumn('last_attempt_at', 'bigint')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('notifications_due_idx')
    .on('notifications')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('notifications_app_idx')
    .on('notifications')
    .columns(['app_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
  await db.schema.dropTable('connection_consents').execute();
  await db.schema.dropTable('connections').execute();
  await db.schema.dropTable('app_user_ids').execute();
}
