/**
 * The revocation epoch (migration 2026-12-06T1500): one row, `id` 1, whose `epoch` triggers raise
 * in the same transaction as any change to an app's client metadata, keys or consent items, so
 * every instance can tell at once that its cached copy is old
 * (docs/decisions/0006-caches-and-revocation.md).
 */

export interface RevocationEpochTable {
  id: number;
  epoch: number;
}

export interface EpochsTables {
  revocation_epoch: RevocationEpochTable;
}
