/**
 * Trusted devices, the device a session signed in from, and the account's security events.
 * Both new tables go with their account (ON DELETE CASCADE): account deletion leaves no trace.
 * Written with the schema builder only, so one file serves SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trusted_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('browser', 'text', (c) => c.notNull())
    .addColumn('os', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('trusted_devices_account_idx')
    .on('trusted_devices')
    .column('account_id')
    .execute();

  // The device a session signed in from: signing a device out ends its sessions too. SQLite adds
  // a referencing column only with a NULL default, which is what sessions from before this have.
  await db.schema
    .alterTable('sessions')
    .addColumn('device_id', 'text', (c) => c.references('trusted_devices.id').onDelete('set null'))
    .execute();

  await db.schema
    .createTable('security_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('browser', 'text')
    .addColumn('os', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema
    .createIndex('security_events_account_idx')
    .on('security_events')
    .columns(['account_id', 'occurred_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('security_events').execute();
  await db.schema.alterTable('sessions').dropColumn('device_id').execute();
  await db.schema.dropTable('trusted_devices').execute();
}
