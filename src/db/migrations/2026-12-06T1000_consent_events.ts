/**
 * Consent events kept apart from the current grant, so a withdrawal stays in a person's history after they agree again. (slot: filled by the account-pages work)
 */
import type { Kysely } from 'kysely';

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
