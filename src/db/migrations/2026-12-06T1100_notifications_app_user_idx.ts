/**
 * Index on notifications(app_id, app_user_id) for history and receipts by person. (slot)
 */
import type { Kysely } from 'kysely';

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
