/**
 * Connections between an account and an app, and the notification outbox
 * that unlinks write into in the same transaction.
 */
import type { Generated } from 'kysely';

/** One row per (app, account), kept for ever: the app user id never changes, also after relink. */
export interface AppUserIdsTable {
  app_id: number;
  account_id: string;
  app_user_id: number;
  created_at: number;
}

/**
 * A link; a relink makes a new row, so unlinked rows are the "Previously connected" history.
 * status: 'linked' | 'unlinked'.
 * unlinked_by: 'delete_all' | 'disconnect' | 'app' | 'admin' | 'account_delete'.
 */
export interface ConnectionsTable {
  id: string;
  app_id: number;
  account_id: string;
  app_user_id: number;
  status: string;
  connected_at: number;
  unlinked_at: number | null;
  unlinked_by: string | null;
  /** the outbox row written with the unlink, when the app has a callback */
  notification_id: string | null;
}

/** Each agreed consent item with its time; withdrawal keeps the row (history) and sets withdrawn_at. */
export interface ConnectionConsentsTable {
  connection_id: string;
  item: string;
  agreed_at: number;
  withdrawn_at: number | null;
}

/**
 * The transactional outbox. status: 'pending' | 'delivered' | 'failed'.
 * event_type: 'user.unlinked' | 'user.scope_withdrawn' | 'user.linked'.
 * referrer_type (unlinks): 'UNLINK_FROM_APPS' | 'ACCOUNT_DELETE' | 'UNLINK_FROM_ADMIN'.
 * Holds no personal data beyond the app user id, so it can outlive an erased account.
 */
export interface NotificationsTable {
  id: string;
  app_id: number;
  event_type: string;
  referrer_type: string | null;
  app_user_id: number;
  /** JSON: event-specific data (e.g. the withdrawn items) */
  data: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  created_at: number;
  delivered_at: number | null;
  last_attempt_at: number | null;
  last_error: string | null;
  // Added by migration 0400 (src/db/tables/notifications.ts has the attempt log).
  /** when the attempts ran out (status 'failed') */
  failed_at: number | null;
  /** a console "Send test notification" logged in the delivery log; 0/1 */
  is_test: Generated<number>;
  /** deletion receipt: from the callback's JSON answer or the app's later POST */
  deletion_confirmation_code: string | null;
  deletion_status_url: string | null;
  deletion_confirmed_at: number | null;
}

export interface ConnectionsTables {
  app_user_ids: AppUserIdsTable;
  connections: ConnectionsTable;
  connection_consents: ConnectionConsentsTable;
  notifications: NotificationsTable;
}
