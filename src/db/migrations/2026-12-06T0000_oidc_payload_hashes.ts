/**
 * OAuth tokens, codes and sessions stored only as hashes (OWASP ASVS V3.5; RFC 9700 §4.14): the
 * rows written before this release are keyed by the token value itself and carry it as `jti` in
 * the payload. Each is rewritten into the form src/oidc/payload-at-rest.ts defines (id, uid,
 * user_code and grant_id hashed, `jti` out of the payload, an Interaction's own references moved
 * out), so every token, code and login in progress keeps working after the upgrade.
 *
 * The hashing is done here in JavaScript over the selected rows, because SQLite has no sha256 and
 * PostgreSQL's needs pgcrypto or version 11; there are few rows (every one expires within days).
 * It uses the adapter's own codec, so an old row lands directly in the form the adapter reads.
 */
import type { Kysely } from 'kysely';
import { storedKey, storedPayloadText } from '../../oidc/payload-at-rest.ts';

interface PlainRow {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
}

const hashed = (value: string | null) => (value === null ? null : storedKey(value));

export async function up(db: Kysely<unknown>): Promise<void> {
  // Runs inside the migration batch's transaction (src/db/migrate.ts), on both databases.
  const dbt = db as unknown as Kysely<{ oidc_payloads: PlainRow }>;
  const rows = await dbt
    .selectFrom('oidc_payloads')
    .select(['model', 'id', 'payload', 'grant_id', 'user_code', 'uid'])
    .execute();
  for (const row of rows) {
    await dbt
      .updateTable('oidc_payloads')
      .set({
        id: storedKey(row.id),
        payload: storedPayloadText(row.model, row.id, JSON.parse(row.payload)),
        grant_id: hashed(row.grant_id),
        user_code: hashed(row.user_code),
        uid: hashed(row.uid),
      })
      .where('model', '=', row.model)
      .where('id', '=', row.id)
      .execute();
  }
}

/**
 * Going back deletes every row: the older code cannot read a hashed row, and the tokens are
 * short-lived. People sign in again and apps get new tokens with a new authorization.
 */
export async function down(db: Kysely<unknown>): Promise<void> {
  await (db as unknown as Kysely<{ oidc_payloads: PlainRow }>).deleteFrom('oidc_payloads').execute();
}
