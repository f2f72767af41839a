/**
 * Tables of migration 2026-12-06T0500_account_recovery (being written).
 */

// biome-ignore lint/complexity/noBannedTypes: filled in by the migration's author
export type RecoveryTables = {};
