/**
 * App keys are found by their hash (OWASP ASVS V6.4): an admin key is stored sealed
 * (src/lib/encryption.ts), and a sealed value cannot be looked up, since every seal of the same
 * key differs. `key_hash` is the SHA-256 of the key, unique, so `Authorization: KakaoAK` stays one
 * indexed read. Keys are 128 random bits: a plain hash of them cannot be reversed by guessing.
 *
 * The hash is computed here in JavaScript over the existing rows, because SQLite has no sha256.
 * Sealing the admin keys, client secrets, webhook secrets and signing keys already stored needs
 * the encryption key, which a migration does not have: `sealLegacySecrets` does it at boot, right
 * after the migrations.
 */
import type { Kysely } from 'kysely';
import { appKeyHash } from '../../modules/apps/app-credentials.ts';

interface KeyRow {
  id: string;
  key: string;
  key_hash: string | null;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('app_keys').addColumn('key_hash', 'text').execute();
  const dbt = db as unknown as Kysely<{ app_keys: KeyRow }>;
  const rows = await dbt.selectFrom('app_keys').select(['id', 'key']).execute();
  for (const row of rows) {
    await dbt
      .updateTable('app_keys')
      .set({ key_hash: appKeyHash(row.key) })
      .where('id', '=', row.id)
      .execute();
  }
  await db.schema.createIndex('app_keys_key_hash_idx').on('app_keys').column('key_hash').unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('app_keys_key_hash_idx').execute();
  await db.schema.alterTable('app_keys').dropColumn('key_hash').execute();
}
