/**
 * Developer tokens may expire: the console, the API and the CLI let a developer choose when.
 *
 * `developer_tokens.expires_at` (epoch ms, bigint like the table's other times, so PostgreSQL
 * returns numbers) is null for a token that lives until it is revoked. Rows made before this
 * migration keep null: they were promised no expiry. No index: a token is found by its unique
 * `token_hash`, and the expiry is checked on that row.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('developer_tokens').addColumn('expires_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('developer_tokens').dropColumn('expires_at').execute();
}
