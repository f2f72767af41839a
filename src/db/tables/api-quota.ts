/**
 * Per-app API call counters (migration 2026-12-05T0100): Kakao's per-app rate limits counted in
 * the database, so that every yeon instance sees the same count.
 */

export interface ApiQuotaWindowsTable {
  app_id: number;
  /** which limit, e.g. 'user_ids' */
  api: string;
  /** epoch ms at which the fixed window starts (a multiple of the window length) */
  window_start: number;
  calls: number;
}

export interface ApiQuotaTables {
  api_quota_windows: ApiQuotaWindowsTable;
}
