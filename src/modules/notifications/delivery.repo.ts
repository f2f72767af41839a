/**
 * The dispatcher's queries (the transactional outbox's reading side).
 *
 * Claiming: a row is due when `status = 'pending' AND next_attempt_at <= now AND (lease_until IS
 * NULL OR lease_until < now)` and its app's callback is active. A claim sets `lease_owner` and
 * `lease_until`; a dispatcher that dies simply lets its lease run out, and the row is due again.
 * - PostgreSQL: the candidates are locked with `FOR UPDATE SKIP LOCKED` and leased in the same
 *   statement (`UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`), so two
 *   dispatchers never lease the same row (a row another claimer holds is skipped; one it has
 *   just leased fails the re-checked lease condition).
 * - SQLite: one conditional `UPDATE … WHERE <still due> RETURNING`. SQLite runs one writer at a
 *   time, so of two processes racing for a row exactly one UPDATE matches it.
 * Bounded claim (it used to rank every due row with row_number() on each claim):
 * 1. busy: the rows under a live lease, per app, across all dispatchers (`notifications_leased_idx`,
 *    only rows in flight);
 * 2. heads: the apps that have pending rows, found by a loose index scan (one seek per app in
 *    `notifications_pending_app_idx`), with an active callback and the time of their oldest due
 *    row;
 * 3. the oldest due rows of the apps with room (`appConcurrency` minus busy), oldest head first,
 *    at most `limit` apps: one seek per app, read in one UNION ALL.
 * Per-app fairness follows: an app never gets more than its room, counted across dispatchers,
 * and an app at its limit or paused is skipped in one step however long its backlog, so one slow
 * app cannot hold back the others. The cost follows the number of apps with waiting rows, not
 * the number of rows.
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

/** Due and not under a live lease (`m` is the notifications alias). */
const dueNow = (now: number) =>
  sql`m.status = 'pending' and m.next_attempt_at <= ${now} and (m.lease_until is null or m.lease_until < ${now})`;

/**
 * Each app that has pending rows and an active callback, with the time of its oldest due row
 * (null when none is due). The apps are found by a loose index scan: one seek per app in the
 * pending rows' (app_id, …) index, however many rows each app has waiting.
 */
async function appHeads(db: Executor, now: number): Promise<Array<{ appId: number; head: number }>> {
  // `status = 'pending'` is written literally (never a parameter) throughout, so that SQLite and
  // PostgreSQL can prove the partial index `notifications_pending_app_idx` applies.
  const { rows } = await sql<{ app_id: number; head: number | null }>`
    with recursive pending_apps(app_id) as (
      select (select m.app_id from notifications m where m.status = 'pending'
              order by m.app_id, m.next_attempt_at, m.id limit 1)
      union all
      select (select m.app_id from notifications m where m.status = 'pending' and m.app_id > p.app_id
              order by m.app_id, m.next_attempt_at, m.id limit 1)
      from pending_apps p where p.app_id is not null
    )
    select p.app_id,
      (select m.next_attempt_at from notifications m where m.app_id = p.app_id and ${dueNow(now)}
       order by m.next_attempt_at, m.id limit 1) as head
    from pending_apps p
    where p.app_id is not null
      and (select a.unlink_state from apps a
           where a.id = p.app_id and a.unlink_callback_url is not null) = 'active'
  `.execute(db);
  return rows.filter((r) => r.head !== null).map((r) => ({ appId: Number(r.app_id), head: Number(r.head) }));
}

async function dueCandidates(db: Executor, c: ClaimInput): Promise<string[]> {
  const busy = await busyApps(db, c.now);
  // Apps with room, oldest waiting first; one row each is enough to fill `limit` slots.
  const apps = (await appHeads(db, c.now))
    .map((a) => ({ ...a, room: c.appConcurrency - (busy.get(a.appId) ?? 0) }))
    .filter((a) => a.room > 0)
    .sort((a, b) => a.head - b.head)
    .slice(0, c.limit);
  if (apps.length === 0) return [];
  // Each app's oldest due rows up to its room: one index seek per app.
  const perApp = apps.map(
    (a, i) => sql`select * from (
      select m.id, m.next_attempt_at from notifications m where m.app_id = ${a.appId} and ${dueNow(c.now)}
      order by m.next_attempt_at, m.id limit ${Math.min(a.room, c.limit)}
    ) as ${sql.raw(`c${i}`)}`,
  );
  const { rows } = await sql<{
    id: string;
    next_attempt_at: number;
  }>`${sql.join(perApp, sql` union all `)}`.execute(db);
  return rows
    .map((r) => ({ id: r.id, at: Number(r.next_attempt_at) }))
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, c.limit)
    .map((r) => r.id);
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
  // RETURNING promises no order: hand the rows back oldest first, as the candidates were chosen.
  const order = new Map(ids.map((id, i) => [id, i]));
  const inOrder = (rows: NotificationRow[]) =>
    rows.sort((x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0));
  if (kind === 'postgres') {
    // One statement (no BEGIN/COMMIT round trips): the subquery locks the candidates that are
    // still due, skipping any another claimer holds, and the UPDATE leases exactly those.
    return db
      .updateTable('notifications')
      .set(lease)
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('notifications')
          .select('id')
          .where('id', 'in', ids)
          .where('status', '=', 'pending')
          .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', c.now)]))
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute()
      .then(inOrder);
  }
  return db
    .updateTable('notifications')
    .set(lease)
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', c.now)]))
    .returningAll()
    .execute()
    .then(inOrder);
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

/**
 * Every lease `owner` still holds, cleared: a dispatcher shutting down gives back the rows it
 * claimed but will not send, so another takes them at once instead of after the lease.
 */
export async function releaseLeasesOf(db: Executor, owner: string): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ lease_owner: null, lease_until: null })
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function insertAttempt(db: Executor, row: NotificationAttemptsTable): Promise<void> {
  await db.insertInto('notification_attempts').values(row).execute();
}

/** Several attempt rows in one statement per 64 (12 parameters each: well under SQLite's 999). */
export async function insertAttempts(db: Executor, rows: NotificationAttemptsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 64) {
    await db
      .insertInto('notification_attempts')
      .values(rows.slice(i, i + 64))
      .execute();
  }
}

/**
 * A 2xx: delivered, whoever holds the lease now (delivered is the truth even if our lease ran
 * out meanwhile); a receipt in the answer is kept.
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

/**
 * Several 2xx answers without a receipt, marked in one statement: on PostgreSQL each statement is
 * a round trip, and a batch marked row by row held its transaction open for one per delivery.
 * `UPDATE … FROM (VALUES …)` runs on both databases (SQLite ≥ 3.33); VALUES names its columns
 * column1, column2 on both. Same rules as markDelivered.
 */
export async function markDeliveredMany(
  db: Executor,
  rows: ReadonlyArray<{ id: string; now: number }>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 64) {
    const values = sql.join(
      rows
        .slice(i, i + 64)
        .map((r, j) => (j === 0 ? sql`(${r.id}, cast(${r.now} as bigint))` : sql`(${r.id}, ${r.now})`)),
    );
    await sql`update notifications set status = 'delivered', attempts = attempts + 1,
      delivered_at = v.column2, last_attempt_at = v.column2, last_error = null,
      lease_owner = null, lease_until = null
      from (values ${values}) as v
      where notifications.id = v.column1 and notifications.status = 'pending'`.execute(db);
  }
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

// ---- callback health on the app ----------------------------------------------------------------

export async function noteSuccess(db: Executor, appId: number, now: number): Promise<void> {
  await db
    .updateTable('apps')
    .set({ notify_failing_since: null, notify_last_success_at: now })
    .where('id', '=', appId)
    .execute();
}

/** `noteSuccess` for several apps, each with its own time, in one statement per 64 apps. */
export async function noteSuccessMany(
  db: Executor,
  apps: ReadonlyArray<{ appId: number; now: number }>,
): Promise<void> {
  for (let i = 0; i < apps.length; i += 64) {
    const chunk = apps.slice(i, i + 64);
    await db
      .updateTable('apps')
      .set({
        notify_failing_since: null,
        notify_last_success_at: sql<number>`case ${sql.join(
          chunk.map((a) => sql`when id = ${a.appId} then cast(${a.now} as bigint)`),
          sql` `,
        )} end`,
      })
      .where(
        'id',
        'in',
        chunk.map((a) => a.appId),
      )
      .execute();
  }
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

/** `410 Gone` disables the callback at once (Standard Webhooks). */
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
