/**
 * Deleting an app ends every link it has first, the way an operator unlink does (UNLINK_FROM_ADMIN,
 * Kakao's referrer for an unlink made by the service rather than the person or the app): each
 * link's notification is written to the outbox in the same transaction as the unlinks
 * (docs/conventions.md, "Side effects that must survive a crash go in the transaction").
 *
 * The dispatcher delivers with the app's current callback URL, admin key and signing secrets
 * (notifications/delivery.ts), which go with the app row. So the row is deleted only once no
 * notification of the app is still pending; until then the app is kept with Kakao Login off, so
 * nobody links to it again, and asking again (after delivery) finishes the deletion. The console,
 * the API and `yeon app delete` all come through here.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AppsContext } from './apps.context.ts';
import * as repo from './apps.repo.ts';
import type { Actor } from './apps.types.ts';

/** The connections domain's unlink, run inside the deletion's transaction (src/services.ts wires it). */
export type UnlinkWithin = (
  trx: Transaction<Database>,
  input: { accountId: string; appId: number; by: 'admin' },
) => Promise<{ notificationId: string | null }>;

export interface AppDeletion {
  /** links ended by this call */
  unlinked: number;
  /** the app's notifications still waiting for delivery (this call's and older ones) */
  pending: number;
  /** false while notifications are pending: the app is kept, Kakao Login off */
  deleted: boolean;
}

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

async function pendingNotifications(trx: Transaction<Database>, appId: number): Promise<number> {
  const row = await trx
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('app_id', '=', appId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** @throws AppError('not_found' | 'forbidden') */
export async function deleteAppWithLinks(
  ctx: AppsContext,
  actor: Actor,
  appId: number,
): Promise<AppDeletion> {
  const result = await ctx.db.transaction().execute(async (trx) => {
    await ctx.access(actor, appId, 'delete', trx);
    const accounts = await liveLinkedAccounts(trx, appId);
    // Without the connections domain wired in, ending links is impossible: refuse rather than
    // leave live links (and unsent unlink notifications) behind a deleted app.
    if (accounts.length && !ctx.unlinkWithin) throw new Error('app deletion needs the unlinkWithin port');
    let queued = 0;
    for (const accountId of accounts) {
      const done = await ctx.unlinkWithin!(trx, { accountId, appId, by: 'admin' });
      if (done.notificationId) queued++;
    }
    const pending = await pendingNotifications(trx, appId);
    if (pending === 0) await repo.deleteAppRow(trx, appId);
    else await repo.updateAppRow(trx, appId, { kakao_login_enabled: 0, updated_at: ctx.clock.now() });
    return { unlinked: accounts.length, pending, deleted: pending === 0, queued };
  });
  if (result.queued) ctx.outboxCommitted?.();
  const { queued: _queued, ...deletion } = result;
  return deletion;
}
