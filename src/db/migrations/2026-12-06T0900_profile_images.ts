/**
 * Profile pictures uploaded from the account page, kept in the database so that every instance
 * serves them. One row per upload, both sizes in it (Kakao REST API "Retrieve user information":
 * `profile_image_url` 640 px and `thumbnail_image_url` 110 px); a new upload is a new row with a
 * new random id, so a cached old picture is never shown under the new URL. The row goes with its
 * account (ON DELETE CASCADE). Bytes are base64 text, as app icons are: one column type on SQLite
 * and PostgreSQL.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('profile_images')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().unique().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('profile_base64', 'text', (c) => c.notNull())
    .addColumn('thumbnail_base64', 'text', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('profile_images').execute();
}
