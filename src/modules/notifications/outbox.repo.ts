/**
 * The outbox: written only inside the transaction of the state change it announces
 * (the transactional outbox: no dual write), so a notification exists
 * if and only if the unlink committed. The dispatcher claims due rows under a lease.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

export type ReferrerType = 'UNLINK_FROM_APPS' | 'ACCOUNT_DELETE' | 'UNLINK_FROM_ADMIN';
export type EventType = 'user.unlinked' | 'user.scope_withdrawn' | 'user.linked';

export interface NewNotification {
  appId: number;
  eventType: EventType;
  referrerType?: ReferrerType;
  appUserId: number;
  data?: Record<string, unknown>;
  now: number;
}

/** @returns the notification id (also the `webhook-id` on every delivery attempt). */
export async function enqueueNotification(trx: Executor, n: NewNotification): Promise<string> {
  const id = newId('msg_');
  await trx
    .insertInto('notifications')
    .values({
      id,
      app_id: n.appId,
      event_type: n.eventType,
      referrer_type: n.referrerType ?? null,
      app_user_id: n.appUserId,
      data: JSON.stringify(n.data ?? {}),
      status: 'pending',
      attempts: 0,
      next_attempt_at: n.now,
      lease_until: null,
      lease_owner: null,
      created_at: n.now,
      delivered_at: null,
      last_attempt_at: null,
      last_error: null,
    })
    .execute();
  return id;
}
