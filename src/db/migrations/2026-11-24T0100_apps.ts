/**
 * The developer console: apps and everything configured on them, plus developer
 * access tokens for the management API. Schema builder only, so one file serves both databases.
 *
 * Choices worth knowing:
 * - `apps.id` is a random safe integer (bigint), not a sequence: app ids are public and should not
 *   reveal how many apps exist (Kakao's app ID is numeric, so yeon's is a JSON number).
 * - Keys live in `app_keys` (one live rest_api/javascript/native key; admin keys rotate, the old
 *   one valid until revoked). `key` is unique: `findAppByKey` is one indexed lookup, because every
 *   OAuth request looks an app up by its REST API key (client_id).
 * - The icon is base64 text in its own table (`app_icons`): no bytea/blob divergence, and app
 *   rows stay small for the hot lookups.
 * - Redirect URIs and platforms are rows with a `position`, so the console keeps their order.
 * - Webhook secrets are versioned rows; `expires_at` null marks the current one, an old one keeps
 *   signing until its overlap window ends (Standard Webhooks: both signatures are sent during a rotation).
 * - Every child table cascades on app delete.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('apps')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('company_name', 'text')
    .addColumn('description', 'text')
    .addColumn('privacy_policy_url', 'text')
    .addColumn('kakao_login_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('oidc_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('client_secret', 'text', (c) => c.notNull())
    .addColumn('client_secret_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('javascript_origins', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('unlink_callback_url', 'text')
    .addColumn('unlink_method', 'text', (c) => c.notNull().defaultTo('POST'))
    .addColumn('unlink_state', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('unlink_format', 'text', (c) => c.notNull().defaultTo('kakao'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('app_icons')
    .addColumn('app_id', 'bigint', (c) => c.primaryKey().references('apps.id').onDelete('cascade'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('data_base64', 'text', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('app_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('app_keys_app_idx').on('app_keys').columns(['app_id', 'kind']).execute();

  await db.schema
    .createTable('app_members')
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_members_pk', ['app_id', 'account_id'])
    .execute();
  await db.schema.createIndex('app_members_account_idx').on('app_members').column('account_id').execute();

  await db.schema
    .createTable('app_redirect_uris')
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_redirect_uris_pk', ['app_id', 'kind', 'uri'])
    .execute();

  await db.schema
    .createTable('app_consent_items')
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('purpose_ko', 'text')
    .addColumn('purpose_en', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_consent_items_pk', ['app_id', 'item'])
    .execute();

  await db.schema
    .createTable('app_platforms')
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('store_url', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_platforms_pk', ['app_id', 'kind', 'identifier'])
    .execute();

  await db.schema
    .createTable('app_webhook_secrets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'bigint', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('app_webhook_secrets_app_idx')
    .on('app_webhook_secrets')
    .column('app_id')
    .execute();

  await db.schema
    .createTable('developer_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('developer_tokens_account_idx')
    .on('developer_tokens')
    .column('account_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'developer_tokens',
    'app_webhook_secrets',
    'app_platforms',
    'app_consent_items',
    'app_redirect_uris',
    'app_members',
    'app_keys',
    'app_icons',
    'apps',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
