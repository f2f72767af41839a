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
 * Bounded read (issue #8 §4): a claim reads at most `4 × limit` of the oldest due rows from the
 * partial index `notifications_pending_due_idx` (next_attempt_at, id) and stops there, so its
 * cost does not grow with the backlog (it used to rank every due row with row_number()).
 * Per-app fairness: an app gets at most `appConcurrency` minus the rows it already has under a
 * live lease, counted across all dispatchers (`notifications_leased_idx`: only rows in flight).
 * Apps already at their cap are left out in SQL, so their backlog never fills the window and one
 * slow app cannot hold back the others; the cap for the rest is applied to the window in order.
 * Rows of a paused app (or one without a callback URL) stay due and are stepped over in index
 * order, as before.
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

/** How many of the oldest due rows one claim reads, per free slot (bounded: at most 4 × 256). */
const WINDOW_PER_SLOT = 4;

/** Rows under a live lease, per app, across all dispatchers. */
async function busyApps(db: Executor, now: number): Promise<Map<number, number>> {
  // The leased rows themselves (few: in flight or left by a dead dispatcher), counted here: a
  // GROUP BY tempts SQLite without ANALYZE statistics into scanning an app_id index instead.
  const { rows } = await sql<{ app_id: number; status: string }>`
    select app_id, status from notifications where lease_until >= ${now}
  `.execute(db);
  const busy = new Map<number, number>();
  for (const r of rows)
    if (r.status === 'pending') busy.set(Number(r.app_id), (busy.get(Number(r.app_id)) ?? 0) + 1);
  return busy;
}

async function dueCandidates(db: Executor, c: ClaimInput): Promise<string[]> {
  const busy = await busyApps(db, c.now);
  const full = [...busy].filter(([, n]) => n >= c.appConcurrency).map(([appId]) => appId);
  // `status = 'pending'` literally (not a parameter): the partial index's predicate must be proven.
  const { rows } = await sql<{ id: string; app_id: number }>`
    select n.id, n.app_id from notifications n
    inner join apps a on a.id = n.app_id
    where n.status = 'pending' and n.next_attempt_at <= ${c.now}
      and (n.lease_until is null or n.lease_until < ${c.now})
      and a.unlink_state = 'active' and a.unlink_callback_url is not null
      ${full.length ? sql`and n.app_id not in (${sql.join(full)})` : sql``}
    order by n.next_attempt_at, n.id
    limit ${c.limit * WINDOW_PER_SLOT}
  `.execute(db);
  const taken = new Map<number, number>();
  const ids: string[] = [];
  for (const row of rows) {
    const appId = Number(row.app_id);
    const n = taken.get(appId) ?? busy.get(appId) ?? 0;
    if (n >= c.appConcurrency) continue;
    taken.set(appId, n + 1);
    ids.push(row.id);
    if (ids.length >= c.limit) break;
  }
  return ids;
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
