/**
 * Email verification and password recovery. `accounts.email_verified_at` records when the person
 * proved they receive mail at their address (Kakao REST API "Retrieve user information":
 * `kakao_account.is_email_verified`; OpenID Connect Core §5.1 `email_verified`); existing accounts
 * start unconfirmed. `account_tokens` holds the one-time links (only their SHA-256, OWASP Forgot
 * Password Cheat Sheet "URL tokens"), `recovery_limits` the fixed-window counters that limit how
 * often links can be asked for. Rows go with the account.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('email_verified_at', 'bigint').execute();

  await db.schema
    .createTable('account_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_normalized', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('account_tokens_account_purpose_idx')
    .on('account_tokens')
    .columns(['account_id', 'purpose'])
    .execute();

  await db.schema
    .createTable('recovery_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('recovery_limits').execute();
  await db.schema.dropTable('account_tokens').execute();
  await db.schema.alterTable('accounts').dropColumn('email_verified_at').execute();
}
