/**
 * Deleting an app ends every link it has first, the way an operator unlink does (UNLINK_FROM_ADMIN,
 * Kakao's referrer for an unlink made by the service rather than the person or the app): each
 * link's notification is written to the outbox in the same transaction as the unlinks
 * (docs/conventions.md, "Side effects that must survive a crash go in the transaction").
 *
 * The app is gone for everyone when that transaction commits: `deleted_at` is set and its client
 * keys (REST API, JavaScript, native) are revoked, so the console, the JSON API, OAuth and the Kakao
 * API no longer find it (apps.repo.ts and src/oidc/clients.ts refuse deleted apps). The row itself
 * stays while notifications are pending, because the dispatcher delivers with the app's current
 * callback URL, admin key and signing secrets (notifications/delivery.ts reads the row without the
 * deleted filter; the admin key row is kept for the callback's `Authorization: KakaoAK` header,
 * though findAppByKey refuses it for API calls). purgeDeletedApps removes the row once nothing is
 * pending. The console, the API and `yeon app delete` all come through here.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors/catalogue.ts';
import type { AppsContext } from './apps.context.ts';
import type { Actor } from './apps.types.ts';
import { CLIENT_KEY_KINDS } from './apps.types.ts';

/** The connections domain's unlink, run inside the deletion's transaction (src/services.ts wires it). */
export type UnlinkWithin = (
  trx: Transaction<Database>,
  input: { accountId: string; appId: number; by: 'admin' },
) => Promise<{ notificationId: string | null }>;

export interface AppDeletion {
  /** links ended by this call */
  unlinked: number;
  /** notifications this call wrote: the people being told (none when the app has no callback) */
  notified: number;
  /** the app's notifications still waiting for delivery (this call's and older ones) */
  notifications_pending: number;
}

type Executor = Kysely<Database> | Transaction<Database>;

async function liveLinkedAccounts(trx: Transaction<Database>, appId: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('connections')
    .select('account_id')
    .where('app_id', '=', appId)
    .where('status', '=', 'linked')
    .orderBy('connected_at')
    .execute();
  return rows.map((r) => r.account_id);
}

/**
 * The app's notifications not yet delivered nor given up. A retry waits as 'pending' (with
 * attempts > 0), and a row being sent keeps 'pending' under its lease, so both count.
 */
export async function pendingNotificationsOf(db: Executor, appId: number): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('app_id', '=', appId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** @throws AppError('not_found' | 'forbidden'); a deleted app is not found. */
export async function deleteAppWithLinks(
  ctx: AppsContext,
  actor: Actor,
  appId: number,
): Promise<AppDeletion> {
  const result = await ctx.db.transaction().execute(async (trx) => {
    await ctx.access(actor, appId, 'delete', trx);
    const now = ctx.clock.now();
    // Marked first: the update locks the app row, so a concurrent second deletion waits for this
    // one, then matches no row (already deleted) and answers not found instead of running twice.
    const marked = await trx
      .updateTable('apps')
      .set({ deleted_at: now, updated_at: now })
      .where('id', '=', appId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) !== 1) throw new AppError('not_found');
    await trx
      .updateTable('app_keys')
      .set({ revoked_at: now })
      .where('app_id', '=', appId)
      .where('kind', 'in', [...CLIENT_KEY_KINDS])
      .where('revoked_at', 'is', null)
      .execute();
    // An open invitation would otherwise lead to an app that no longer exists.
    await trx
      .updateTable('app_invitations')
      .set({ revoked_at: now })
      .where('app_id', '=', appId)
      .where('accepted_at', 'is', null)
      .where('declined_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    const accounts = await liveLinkedAccounts(trx, appId);
    // Without the connections domain wired in, ending links is impossible: refuse rather than
    // leave live links (and unsent unlink notifications) behind a deleted app.
    if (accounts.length && !ctx.unlinkWithin) throw new Error('app deletion needs the unlinkWithin port');
    let notified = 0;
    for (const accountId of accounts) {
      const done = await ctx.unlinkWithin!(trx, { accountId, appId, by: 'admin' });
      if (done.notificationId) notified++;
    }
    const notifications_pending = await pendingNotificationsOf(trx, appId);
    return { unlinked: accounts.length, notified, notifications_pending };
  });
  if (result.notified) ctx.outboxCommitted?.();
  return result;
}

/** How long a deleted app's unlink notifications are kept trying, even behind a paused callback. */
export const DELETED_APP_NOTIFY_HORIZON_MS = 30 * 86_400_000;

/**
 * Removes the rows of deleted apps (deleted at or before `now`) that have no notification left to
 * deliver; every table that references an app goes with it (ON DELETE CASCADE on SQLite and
 * PostgreSQL). Connections and delivered or failed notifications stay: they are the people's
 * history and carry no reference to the app row. One statement, so a notification cannot turn
 * pending between the check and the delete. Returns how many apps were removed.
 */
export async function purgeDeletedApps(db: Executor, now: number): Promise<number> {
  // A deleted app's paused callback can no longer be resumed by anyone, so its notifications
  // would wait forever and keep the row: past the horizon they are given up as failed, the same
  // end a notification reaches after its last retry (docs/notifications.md), unclaimed ones only.
  await db
    .updateTable('notifications')
    .set({ status: 'failed', failed_at: now, last_error: 'app_deleted' })
    .where('status', '=', 'pending')
    .where('lease_owner', 'is', null)
    .where('app_id', 'in', (eb) =>
      eb
        .selectFrom('apps as a')
        .select('a.id')
        .where('a.deleted_at', 'is not', null)
        .where('a.deleted_at', '<=', now - DELETED_APP_NOTIFY_HORIZON_MS),
    )
    .execute();
  const result = await db
    .deleteFrom('apps')
    .where('deleted_at', 'is not', null)
    .where('deleted_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notifications as n')
            .select('n.id')
            .whereRef('n.app_id', '=', 'apps.id')
            .where('n.status', '=', 'pending'),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
