/**
 * Per-app OAuth strictness. yeon answers on the wire as Kakao Login does by default (PKCE optional,
 * no `iss` on authorization responses, an ID token for OIDC apps whether or not `openid` was
 * asked for); an app may opt in to the stricter behaviour of current OAuth practice
 * (docs/decisions/0005-kakao-first-on-the-wire.md):
 * - `require_pkce`: every authorization request of the app must carry an S256 `code_challenge`
 *   (RFC 7636; RFC 9700 §2.1.1);
 * - `strict_oauth`: authorization responses carry `iss` (RFC 9207), and an ID token is issued only
 *   when `openid` was requested (OpenID Connect Core §3.1.2.1).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('apps')
    .addColumn('require_pkce', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('apps')
    .addColumn('strict_oauth', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').dropColumn('strict_oauth').execute();
  await db.schema.alterTable('apps').dropColumn('require_pkce').execute();
}
