/**
 * Key rotation with an overlap: a reissued key keeps working until its old key expires.
 *
 * `app_keys.expires_at` (epoch ms) is null for a current key. Reissuing a key sets it on the key
 * being replaced: that key keeps working until then and stops everywhere at the same moment,
 * because every lookup of a key asks "not revoked and not yet expired" (apps.repo.ts,
 * src/oidc/clients.ts, src/kakao/user-me-reads.ts). "Stop now" sets `revoked_at` as before.
 * No index: keys are found by the unique `key_hash` or `key`, and the expiry is checked on that row.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('app_keys').addColumn('expires_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('app_keys').dropColumn('expires_at').execute();
}
