/**
 * Developer tokens may expire: the console, the API and the CLI let a developer choose when (slot).
 */
import type { Kysely } from 'kysely';

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
