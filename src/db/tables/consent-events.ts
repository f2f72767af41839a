/**
 * Consent events (slot; filled by the account-pages work).
 */
// biome-ignore lint/complexity/noBannedTypes: filled by the migration's work
export type ConsentEventsTables = {};
