/**
 * Tables of migration 2026-12-06T0300_devices_security_events (being written).
 */

// biome-ignore lint/complexity/noBannedTypes: filled in by the migration's author
export type DevicesTables = {};
