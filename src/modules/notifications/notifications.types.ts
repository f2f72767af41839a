/**
 * What the delivery log looks like to the console, the JSON API and the app-facing API.
 * Pure types and constants only.
 */
import type { OptionalEvent } from './events.ts';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * What the log filters by: `pending` split in two, so a developer can tell a notification that
 * has not been tried yet (`queued`) from one whose receiver already failed it (`retrying`).
 */
export const DELIVERY_STATES = ['queued', 'retrying', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export function stateOf(row: { status: string; attempts: number }): DeliveryState {
  if (row.status === 'pending') return row.attempts > 0 ? 'retrying' : 'queued';
  return row.status === 'delivered' ? 'delivered' : 'failed';
}

/** Why a callback is paused: by a person, by a `410 Gone`, or automatically after failing for days. */
export type PauseReason = 'manual' | 'gone' | 'failing';

export interface AttemptView {
  attempt: number;
  started_at: number;
  latency_ms: number;
  status_code: number | null;
  /** null on success; a stable code otherwise (timeout, http_error, redirect, refused_destination, …) */
  error: string | null;
  detail: string | null;
  /** sanitised first characters of the answer (never the whole response) */
  response_excerpt: string | null;
  remote_address: string | null;
}

export interface DeliveryView {
  id: string;
  event_type: string;
  referrer_type: string | null;
  app_user_id: number;
  status: DeliveryStatus;
  state: DeliveryState;
  attempts: number;
  created_at: number;
  /** when the next attempt is due (pending only) */
  next_attempt_at: number | null;
  delivered_at: number | null;
  failed_at: number | null;
  last_error: string | null;
  is_test: boolean;
  deletion: { confirmation_code: string; status_url: string | null; confirmed_at: number } | null;
  attempt_log: AttemptView[];
}

export interface DeliveryPage {
  items: DeliveryView[];
  /** pass as `before` for the next (older) page; null on the last page */
  next_cursor: string | null;
}

/** The callback's state for the console banner and the API. */
export interface DeliveryHealth {
  callback_url: string | null;
  state: 'active' | 'paused';
  paused_reason: PauseReason | null;
  paused_at: number | null;
  failing_since: number | null;
  /** the last 2xx, from a real notification or a test */
  last_success_at: number | null;
  /** real notifications only: tests are never queued or redelivered */
  counts: Record<DeliveryStatus, number>;
  /** the configured delays after each failed attempt (YEON_NOTIFY_SCHEDULE), and their ± spread */
  retry_schedule_ms: number[];
  retry_jitter: number;
  format: 'kakao' | 'json';
  events: OptionalEvent[];
}

/** One unlink in the app-facing catch-up list; times are ISO 8601 UTC. */
export interface UnlinkEventView {
  id: string;
  app_id: number;
  user_id: number;
  referrer_type: string | null;
  occurred_at: string;
  delivery: {
    status: DeliveryStatus;
    attempts: number;
    last_attempt_at: string | null;
    delivered_at: string | null;
    next_attempt_at: string | null;
  };
  deletion_confirmed_at: string | null;
}
