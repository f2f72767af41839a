/**
 * Team invitations (src/modules/apps/app-invitations.ts): adding someone to an app creates an
 * invitation they must accept, so nobody is made an owner or admin without agreeing.
 *
 * - The link's token is kept only as its SHA-256 (`token_hash`, unique): a copy of the table does
 *   not hand out memberships (OWASP ASVS V3.5.2: keep tokens as one-way hashes at rest).
 * - An invitation is bound to the invited email (`email_normalized`, the same key as
 *   accounts.email_normalized) and is used once: `accepted_at`, `declined_at` or `revoked_at` ends it.
 * - Invitations go with their app, and with the account that sent them.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('app_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_normalized', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('accepted_by', 'text', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('declined_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('app_invitations_app_idx')
    .on('app_invitations')
    .columns(['app_id', 'email_normalized'])
    .execute();
  await db.schema
    .createIndex('app_invitations_inviter_idx')
    .on('app_invitations')
    .column('invited_by')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('app_invitations').execute();
}
