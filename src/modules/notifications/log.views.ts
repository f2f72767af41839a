/**
 * How a notification row reads in the delivery log and in the app-facing catch-up list: plain
 * mappings, no I/O (notifications.service.ts fetches, this shapes).
 */
import type { NotificationRow } from './delivery.repo.ts';
import {
  type AttemptView,
  type DeliveryStatus,
  type DeliveryView,
  stateOf,
  type UnlinkEventView,
} from './notifications.types.ts';

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function toView(row: NotificationRow, attempts: AttemptView[]): DeliveryView {
  return {
    id: row.id,
    event_type: row.event_type,
    referrer_type: row.referrer_type,
    app_user_id: row.app_user_id,
    status: row.status as DeliveryStatus,
    state: stateOf(row),
    attempts: row.attempts,
    created_at: row.created_at,
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at : null,
    delivered_at: row.delivered_at,
    failed_at: row.failed_at,
    last_error: row.last_error,
    is_test: row.is_test === 1,
    deletion:
      row.deletion_confirmation_code && row.deletion_confirmed_at !== null
        ? {
            confirmation_code: row.deletion_confirmation_code,
            status_url: row.deletion_status_url,
            confirmed_at: row.deletion_confirmed_at,
          }
        : null,
    attempt_log: attempts,
  };
}

export function toUnlinkEvent(row: NotificationRow): UnlinkEventView {
  return {
    id: row.id,
    app_id: row.app_id,
    user_id: row.app_user_id,
    referrer_type: row.referrer_type,
    occurred_at: new Date(row.created_at).toISOString(),
    delivery: {
      status: row.status as DeliveryStatus,
      attempts: row.attempts,
      last_attempt_at: iso(row.last_attempt_at),
      delivered_at: iso(row.delivered_at),
      next_attempt_at: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    },
    deletion_confirmed_at: iso(row.deletion_confirmed_at),
  };
}
