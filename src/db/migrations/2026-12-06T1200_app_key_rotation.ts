/**
 * Key rotation with an overlap: a reissued key keeps working until its old key expires. (slot)
 */
import type { Kysely } from 'kysely';

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
