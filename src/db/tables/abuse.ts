/**
 * Abuse-limit counters (migration 2026-12-06T0200): fixed windows and cooldowns counted in the
 * database, so that every yeon instance sees the same count.
 */

export interface AbuseWindowsTable {
  /** which limit, e.g. 'authorize_ip' */
  rule: string;
  /** what is counted, e.g. a client address */
  subject: string;
  /** epoch ms at which the fixed window starts (a multiple of the window length) */
  window_start: number;
  hits: number;
}

export interface AbuseCooldownsTable {
  /** which limit, e.g. 'test_notification' */
  rule: string;
  /** what is limited, e.g. an app id */
  subject: string;
  /** epoch ms of the last allowed use */
  last_at: number;
}

export type AbuseTables = {
  abuse_windows: AbuseWindowsTable;
  abuse_cooldowns: AbuseCooldownsTable;
};
