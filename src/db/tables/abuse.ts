/**
 * Tables of migration 2026-12-06T0200_abuse_limits (being written).
 */

// biome-ignore lint/complexity/noBannedTypes: filled in by the migration's author
export type AbuseTables = {};
