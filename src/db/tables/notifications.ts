/**
 * The delivery log of the notification outbox: one row per HTTP attempt, so the
 * console can show every try with its time, status, latency, error and a short response excerpt.
 * The outbox rows themselves live in `notifications` (tables/connections.ts).
 */

export interface NotificationAttemptsTable {
  id: string;
  notification_id: string;
  app_id: number;
  /** 1 for the first try; a redelivery by hand continues the count */
  attempt: number;
  started_at: number;
  latency_ms: number;
  /** HTTP status when the receiver answered */
  status_code: number | null;
  /** null on success; otherwise a stable code (timeout, http_error, refused_destination, …) */
  error: string | null;
  /** a short technical note for operators (never the whole response) */
  detail: string | null;
  /** the first characters of the response body, control characters removed (≤ 1 KiB) */
  response_excerpt: string | null;
  /** the peer address actually connected to */
  remote_address: string | null;
  /** which dispatcher sent it (`host:pid:random`) */
  worker: string | null;
}

export interface NotificationsTables {
  notification_attempts: NotificationAttemptsTable;
}
