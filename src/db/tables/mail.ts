/**
 * Tables of migration 2026-12-06T0400_mail_outbox (being written).
 */

// biome-ignore lint/complexity/noBannedTypes: filled in by the migration's author
export type MailTables = {};
