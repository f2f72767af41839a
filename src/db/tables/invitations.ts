/**
 * Tables of migration 2026-12-06T0600_app_invitations (being written).
 */

// biome-ignore lint/complexity/noBannedTypes: filled in by the migration's author
export type InvitationsTables = {};
