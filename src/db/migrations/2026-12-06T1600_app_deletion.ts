/**
 * An app deleted by its developer disappears at once but its row stays until every unlink
 * notification it owes has been delivered or given up (slot).
 */
import type { Kysely } from 'kysely';

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
