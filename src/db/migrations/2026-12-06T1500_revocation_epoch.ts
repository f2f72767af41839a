/**
 * A revocation epoch every instance checks, so in-memory caches drop what changed at once (slot).
 */
import type { Kysely } from 'kysely';

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
