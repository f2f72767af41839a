/**
 * The dispatcher's queries (issue #6 §2; reliability-and-security.md §4 "Transactional outbox").
 *
 * Claiming: a row is due when `status = 'pending' AND next_attempt_at <= now AND (lease_until IS
 * NULL OR lease_until < now)` and its app's callback is active. A claim sets `lease_owner` and
 * `lease_until`; a dispatcher that dies simply lets its lease run out, and the row is due again.
 * - PostgreSQL: the candidates are locked with `FOR UPDATE SKIP LOCKED` and leased in the same
 *   transaction, so two dispatchers never lease the same row (a row another claimer holds is
 *   skipped; one it has just leased fails the re-checked lease condition).
 * - SQLite: one conditional `UPDATE … WHERE <still due> RETURNING`. SQLite runs one writer at a
 *   time, so of two processes racing for a row exactly one UPDATE matches it.
 * Per-app fairness: candidates are ranked per app (`row_number() OVER (PARTITION BY app_id)`) and
 * an app gets at most `appConcurrency` minus the rows it already has under a live lease, counted
 * across all dispatchers, so one slow app cannot fill every slot.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { DbKind } from '../../db/create-db.ts';
import type { Database } from '../../db/database.ts';
import type { NotificationsTable } from '../../db/tables/connections.ts';
import type { NotificationAttemptsTable } from '../../db/tables/notifications.ts';

export type Executor = Kysely<Database> | Transaction<Database>;
export type NotificationRow = Selectable<NotificationsTable>;

export interface ClaimInput {
  now: number;
  owner: string;
  leaseMs: number;
  /** free slots of this dispatcher */
  limit: number;
  appConcurrency: number;
}

async function dueCandidates(db: Executor, c: ClaimInput): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with busy as (
      select app_id, count(*) as n from notifications
      where status = 'pending' and lease_until >= ${c.now}
      group by app_id
    ),
    due as (
      select n.id, n.app_id, n.next_attempt_at,
        row_number() over (partition by n.app_id order by n.next_attempt_at, n.id) as rn
      from notifications n
      inner join apps a on a.id = n.app_id
      where n.status = 'pending' and n.next_attempt_at <= ${c.now}
        and (n.lease_until is null or n.lease_until < ${c.now})
        and a.unlink_state = 'active' and a.unlink_callback_url is not null
    )
    select due.id from due left join busy on busy.app_id = due.app_id
    where due.rn <= ${c.appConcurrency} - coalesce(busy.n, 0)
    order by due.next_attempt_at, due.id
    limit ${c.limit}
  `.execute(db);
  return rows.map((r) => r.id);
}

/** Leases up to `limit` due rows for `owner`; returns them as leased. */
export async function claimDue(
  db: Kysely<Database>,
  kind: DbKind,
  c: ClaimInput,
): Promise<NotificationRow[]> {
  if (c.limit <= 0) return [];
  const ids = await dueCandidates(db, c);
  if (ids.length === 0) return [];
  const lease = { lease_owner: c.owner, lease_until: c.now + c.leaseMs };
  if (kind === 'postgres') {
    return db.transaction().execute(async (trx) => {
      const locked = await trx
        .selectFrom('notifications')
        .select('id')
        .where('id', 'in', ids)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', c.now)]))
        .forUpdate()
        .skipLocked()
        .execute();
      if (locked.length === 0) return [];
      return trx
        .updateTable('notifications')
        .set(lease)
        .where(
          'id',
          'in',
          locked.map((r) => r.id),
        )
        .returningAll()
        .execute();
    });
  }
  return db
    .updateTable('notifications')
    .set(lease)
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', c.now)]))
    .returningAll()
    .execute();
}

/** Gives a claimed row back untouched (its app was paused or removed after the claim). */
export async function releaseLease(db: Executor, id: string, owner: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function insertAttempt(db: Executor, row: NotificationAttemptsTable): Promise<void> {
  await db.insertInto('notification_attempts').values(row).execute();
}

/**
 * A 2xx: delivered, whoever holds the lease now (delivered is the truth even if our lease ran
 * out meanwhile); a receipt in the answer is kept (issue #6 §6).
 */
export async function markDelivered(
  db: Executor,
  id: string,
  now: number,
  receipt?: { code: string; statusUrl: string | null },
): Promise<void> {
  await db
    .updateTable('notifications')
    .set({
      status: 'delivered',
      attempts: sql<number>`attempts + 1`,
      delivered_at: now,
      last_attempt_at: now,
      last_error: null,
      lease_owner: null,
      lease_until: null,
      ...(receipt
        ? {
            deletion_confirmation_code: receipt.code,
            deletion_status_url: receipt.statusUrl,
            deletion_confirmed_at: now,
          }
        : {}),
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/** A failure: try again at `nextAttemptAt`, or give up (`failed`) when it is undefined. */
export async function markFailedAttempt(
  db: Executor,
  input: { id: string; owner: string; now: number; error: string; nextAttemptAt: number | undefined },
): Promise<void> {
  const { id, owner, now, error, nextAttemptAt } = input;
  await db
    .updateTable('notifications')
    .set({
      attempts: sql<number>`attempts + 1`,
      last_attempt_at: now,
      last_error: error,
      lease_owner: null,
      lease_until: null,
      ...(nextAttemptAt === undefined
        ? { status: 'failed', failed_at: now }
        : { next_attempt_at: nextAttemptAt }),
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('lease_owner', '=', owner)
    .execute();
}

// ---- callback health on the app (issue #6 §4) ---------------------------------------------------

export async function noteSuccess(db: Executor, appId: number, now: number): Promise<void> {
  await db
    .updateTable('apps')
    .set({ notify_failing_since: null, notify_last_success_at: now })
    .where('id', '=', appId)
    .execute();
}

/**
 * Starts (or continues) the app's failing streak; once it is `autoPauseMs` old the callback is
 * paused (Svix: "an endpoint that fails for 5 days is disabled"). Pausing ends the streak, so a
 * resumed callback gets a fresh window. @returns true when this call paused it.
 */
export async function noteFailure(
  db: Executor,
  appId: number,
  now: number,
  autoPauseMs: number,
): Promise<boolean> {
  await db
    .updateTable('apps')
    .set({ notify_failing_since: sql<number>`coalesce(notify_failing_since, ${now})` })
    .where('id', '=', appId)
    .execute();
  const paused = await db
    .updateTable('apps')
    .set({
      unlink_state: 'paused',
      unlink_paused_reason: 'failing',
      unlink_paused_at: now,
      notify_failing_since: null,
    })
    .where('id', '=', appId)
    .where('unlink_state', '=', 'active')
    .where('notify_failing_since', '<=', now - autoPauseMs)
    .executeTakeFirst();
  return Number(paused.numUpdatedRows) === 1;
}

/** `410 Gone` disables the callback at once (Standard Webhooks; issue #6 §4). */
export async function pauseAppCallback(
  db: Executor,
  appId: number,
  reason: 'gone' | 'failing' | 'manual',
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('apps')
    .set({
      unlink_state: 'paused',
      unlink_paused_reason: reason,
      unlink_paused_at: now,
      notify_failing_since: null,
    })
    .where('id', '=', appId)
    .where('unlink_state', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
