/**
 * Delivery-log queries for people and apps. Every function takes `db | trx`.
 * The console's list pages by (created_at, id), newest first: a test notification's id starts
 * `test_` (the marker receivers rely on, test-notification.ts), so ids alone would sort every test
 * above every real notification. The cursor is a notification id; its row gives the position.
 * The catch-up API (`unlinksAfter`) still pages by id: it never lists tests.
 */
import type { Executor, NotificationRow } from './delivery.repo.ts';
import type { DeliveryState, DeliveryStatus } from './notifications.types.ts';

export interface LogFilter {
  status?: DeliveryStatus;
  state?: DeliveryState;
  appUserId?: number;
  before?: string;
  limit: number;
}

export async function listOfApp(db: Executor, appId: number, options: LogFilter): Promise<NotificationRow[]> {
  let q = db.selectFrom('notifications').selectAll().where('app_id', '=', appId);
  if (options.status) q = q.where('status', '=', options.status);
  if (options.state === 'queued') q = q.where('status', '=', 'pending').where('attempts', '=', 0);
  else if (options.state === 'retrying') q = q.where('status', '=', 'pending').where('attempts', '>', 0);
  else if (options.state) q = q.where('status', '=', options.state);
  if (options.appUserId !== undefined) q = q.where('app_user_id', '=', options.appUserId);
  if (options.before) {
    const cursor = await findOfApp(db, appId, options.before);
    if (!cursor) return [];
    const { created_at: at, id } = cursor;
    q = q.where((eb) =>
      eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}

export async function findOfApp(
  db: Executor,
  appId: number,
  id: string,
): Promise<NotificationRow | undefined> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('app_id', '=', appId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function attemptsFor(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('notification_attempts')
    .selectAll()
    .where('notification_id', 'in', ids)
    .orderBy('started_at')
    .orderBy('attempt')
    .execute();
}

export async function countByStatus(db: Executor, appId: number): Promise<Record<DeliveryStatus, number>> {
  const rows = await db
    .selectFrom('notifications')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('app_id', '=', appId)
    .where('is_test', '=', 0)
    .groupBy('status')
    .execute();
  const counts = { pending: 0, delivered: 0, failed: 0 };
  for (const r of rows) if (r.status in counts) counts[r.status as DeliveryStatus] = Number(r.n);
  return counts;
}

/** Failed → pending, due now (one more attempt; if it fails too, it is failed again). */
export async function requeueFailed(db: Executor, appId: number, now: number, id?: string): Promise<number> {
  let q = db
    .updateTable('notifications')
    .set({ status: 'pending', next_attempt_at: now, failed_at: null, lease_owner: null, lease_until: null })
    .where('app_id', '=', appId)
    .where('status', '=', 'failed')
    .where('is_test', '=', 0);
  if (id) q = q.where('id', '=', id);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** On resume the waiting backlog goes out now, not at the next scheduled retry. */
export async function pullPendingForward(db: Executor, appId: number, now: number): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ next_attempt_at: now })
    .where('app_id', '=', appId)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '>', now)
    .execute();
}

export async function setDeletionReceipt(
  db: Executor,
  appId: number,
  id: string,
  receipt: { code: string; statusUrl: string | null },
  now: number,
): Promise<NotificationRow | undefined> {
  await db
    .updateTable('notifications')
    .set({
      deletion_confirmation_code: receipt.code,
      deletion_status_url: receipt.statusUrl,
      deletion_confirmed_at: now,
    })
    .where('app_id', '=', appId)
    .where('id', '=', id)
    .where('event_type', '=', 'user.unlinked')
    .where('is_test', '=', 0)
    .execute();
  return findOfApp(db, appId, id);
}

/**
 * Unlink events for the catch-up API, oldest first after `after`. Rows younger than `settledBefore`
 * are held back: an unlink's transaction may commit a moment after its id was taken, and without
 * this window a reader could move its cursor past a row that is not yet visible.
 */
export async function unlinksAfter(
  db: Executor,
  appId: number,
  options: { after?: string; limit: number; settledBefore: number },
): Promise<NotificationRow[]> {
  let q = db
    .selectFrom('notifications')
    .selectAll()
    .where('app_id', '=', appId)
    .where('event_type', '=', 'user.unlinked')
    .where('is_test', '=', 0)
    .where('created_at', '<=', options.settledBefore);
  if (options.after) q = q.where('id', '>', options.after);
  return q.orderBy('id', 'asc').limit(options.limit).execute();
}
