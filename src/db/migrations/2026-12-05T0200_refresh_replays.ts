/**
 * The answers of recent refresh-token grants, so that a refresh repeated within a short grace window
 * (two tabs, a retry after a timeout) gets the same answer instead of revoking the family
 * (a reuse interval, as Auth0's and Okta's refresh token rotation have; src/oidc/refresh-grace.ts). Keyed by a hash of the
 * refresh token; the answer is encrypted under a key derived from the refresh token itself, so a
 * copy of the table hands out no token.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oidc_refresh_replays')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('auth_hash', 'text', (c) => c.notNull())
    // null while the first request is still being answered
    .addColumn('answer', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('oidc_refresh_replays_expires_idx')
    .on('oidc_refresh_replays')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oidc_refresh_replays').execute();
}
