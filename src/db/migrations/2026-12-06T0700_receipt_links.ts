/**
 * Receipt links (src/modules/notifications/receipt-links.ts): after account deletion the person has
 * no session, so the page that shows which apps were told, and whether each one has been reached,
 * is opened by a link with an unguessable token.
 *
 * - The token is kept only as its SHA-256 (`token_hash`, primary key): a copy of the table does
 *   not open anyone's receipt (OWASP ASVS V3.5.2: keep tokens as one-way hashes at rest).
 * - `notification_ids` is a JSON array of outbox ids; it names no account and no personal data,
 *   like the outbox rows it points to. A link ends at `expires_at`.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('receipt_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('notification_ids', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('receipt_links_expires_idx').on('receipt_links').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('receipt_links').execute();
}
