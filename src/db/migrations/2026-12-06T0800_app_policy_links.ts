/**
 * An app's terms of service link, beside the privacy policy link it already has: the consent page
 * links both, as Kakao's consent screen does, so a person can read what they agree to before
 * agreeing. Null = the app has not published one.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('terms_url', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').dropColumn('terms_url').execute();
}
