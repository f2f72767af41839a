/**
 * Linking, consent and unlinking (as on Kakao's Manage Connected Services).
 * - The first consent links an account to an app and fixes its app user id for ever (relinks reuse it).
 * - Only optional (and during-use) items can be withdrawn; required items are stopped by unlinking.
 * - Unlink follows Kakao's two cases: an app with an unlink callback offers only "Delete All Data",
 *   which writes an UNLINK_FROM_APPS notification in the unlink's own transaction; an app without one
 *   offers "Disconnect" (unlink only). What the app later answers changes nothing.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { AppError, validationError } from '../../errors/catalogue.ts';
import type { Clock } from '../../lib/clock.ts';
import { randomSafeInteger } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { enqueueNotification, type ReferrerType } from '../notifications/outbox.repo.ts';
import { recordSecurityEvent } from '../security/security-events.ts';
import type { AppsPort, GrantRevoker } from './connections.ports.ts';
import * as repo from './connections.repo.ts';
import { recordConsentEvents } from './consent-events.repo.ts';

export type UnlinkedBy = 'delete_all' | 'disconnect' | 'app' | 'admin' | 'account_delete';

const REFERRER: Record<UnlinkedBy, ReferrerType | null> = {
  delete_all: 'UNLINK_FROM_APPS',
  admin: 'UNLINK_FROM_ADMIN',
  account_delete: 'ACCOUNT_DELETE',
  // Kakao sends no callback when the app itself unlinks (Kakao "Unlink webhook"), and a
  // "Disconnect" is only offered to apps without a callback (Kakao's case 2).
  app: null,
  disconnect: null,
};

export interface ConnectionsDeps {
  db: Kysely<Database>;
  clock: Clock;
  apps: AppsPort;
  revoker: GrantRevoker;
  /**
   * Called right after a COMMIT that wrote an outbox row: wakes this process's
   * dispatcher (outbox-signal.ts). `unlinkWithin` runs in its caller's transaction, so the
   * caller signals after its own COMMIT.
   */
  outboxCommitted?: () => void;
}

export function createConnectionsService({ db, clock, apps, revoker, outboxCommitted }: ConnectionsDeps) {
  async function appInfo(trx: repo.Executor, appId: number) {
    const info = await apps.getLinkInfo(trx, appId);
    if (!info) throw new AppError('not_found');
    return info;
  }

  async function appUserIdFor(
    trx: repo.Executor,
    appId: number,
    accountId: string,
    now: number,
  ): Promise<number> {
    const existing = await repo.findAppUserId(trx, appId, accountId);
    if (existing !== undefined) return existing;
    // Random ids reveal neither sign-up order nor user counts; a collision is astronomically rare
    // and the unique constraint would turn it into an error rather than a shared id.
    const appUserId = randomSafeInteger();
    await repo.insertAppUserId(trx, {
      app_id: appId,
      account_id: accountId,
      app_user_id: appUserId,
      created_at: now,
    });
    return appUserId;
  }

  /**
   * Agree to `items` for `appId`: links on first consent (all required items must be among them),
   * or adds items to the live link.
   * @throws AppError('not_found' | 'validation_failed')
   */
  async function agree(input: { accountId: string; appId: number; items: string[] }) {
    let queued = false;
    const agreed = await db.transaction().execute(async (trx) => {
      const now = clock.now();
      const info = await appInfo(trx, input.appId);
      const items = [...new Set(input.items)];
      const unknown = items.filter((i) => !info.consentModes[i] || info.consentModes[i] === 'off');
      if (unknown.length)
        throw validationError(unknown.map((i) => ({ field: i, message: 'connections.item_not_offered' })));
      let live = await repo.findLiveConnection(trx, input.appId, input.accountId);
      const newlyLinked = !live;
      if (!live) {
        const missing = Object.entries(info.consentModes)
          .filter(([item, mode]) => mode === 'required' && !items.includes(item))
          .map(([item]) => item);
        if (missing.length)
          throw validationError(
            missing.map((i) => ({ field: i, message: 'connections.required_item_missing' })),
          );
        live = {
          id: newId('con_'),
          app_id: input.appId,
          account_id: input.accountId,
          app_user_id: await appUserIdFor(trx, input.appId, input.accountId, now),
          status: 'linked',
          connected_at: now,
          unlinked_at: null,
          unlinked_by: null,
          notification_id: null,
        };
        await repo.insertConnection(trx, live);
        if (info.subscribedEvents.includes('user.linked')) {
          await enqueueNotification(trx, {
            appId: info.id,
            eventType: 'user.linked',
            appUserId: live.app_user_id,
            now,
          });
          queued = true;
        }
      }
      // Only the optional items the person did not hold already: a required item comes and goes
      // with the link itself, which the links table records.
      const held = newlyLinked
        ? new Set<string>()
        : new Set((await repo.activeConsents(trx, live.id)).map((c) => c.item));
      await repo.upsertConsents(trx, live.id, items, now);
      await recordConsentEvents(trx, {
        accountId: input.accountId,
        appId: input.appId,
        items: items.filter((i) => info.consentModes[i] !== 'required' && !held.has(i)),
        kind: 'agreed',
        at: now,
      });
      return { connectionId: live.id, appUserId: live.app_user_id, newlyLinked };
    });
    if (queued) outboxCommitted?.();
    return agreed;
  }

  /** The live link with its current (not withdrawn) items, or undefined. */
  async function getLive(accountId: string, appId: number) {
    const live = await repo.findLiveConnection(db, appId, accountId);
    if (!live) return undefined;
    const consents = await repo.activeConsents(db, live.id);
    return { ...live, items: consents.map((c) => c.item) };
  }

  /** How the last link ended, for the relink warning. */
  async function lastUnlink(accountId: string, appId: number) {
    const rows = await repo.listConnectionsOfAccount(db, accountId);
    const last = rows.find((r) => r.app_id === appId && r.status === 'unlinked');
    return last ? { unlinkedAt: last.unlinked_at!, unlinkedBy: last.unlinked_by as UnlinkedBy } : undefined;
  }

  /**
   * Withdraw one optional item; recorded as `user.scope_withdrawn` for apps that subscribe.
   * @throws AppError('not_found' | 'consent_item_required')
   */
  async function withdraw(input: { accountId: string; appId: number; item: string }): Promise<void> {
    let queued = false;
    await db.transaction().execute(async (trx) => {
      const now = clock.now();
      const info = await appInfo(trx, input.appId);
      const live = await repo.findLiveConnection(trx, input.appId, input.accountId);
      if (!live) throw new AppError('not_found');
      if (info.consentModes[input.item] === 'required') throw new AppError('consent_item_required');
      if (!(await repo.withdrawConsentRow(trx, live.id, input.item, now))) throw new AppError('not_found');
      await recordConsentEvents(trx, {
        accountId: input.accountId,
        appId: input.appId,
        items: [input.item],
        kind: 'withdrawn',
        at: now,
      });
      if (info.subscribedEvents.includes('user.scope_withdrawn')) {
        await enqueueNotification(trx, {
          appId: info.id,
          eventType: 'user.scope_withdrawn',
          appUserId: live.app_user_id,
          data: { scopes: [input.item] },
          now,
        });
        queued = true;
      }
    });
    if (queued) outboxCommitted?.();
  }

  /** Unlink inside a caller's transaction (account deletion unlinks many in one). */
  async function unlinkWithin(
    trx: Transaction<Database>,
    input: { accountId: string; appId: number; by: UnlinkedBy },
  ) {
    const now = clock.now();
    const info = await appInfo(trx, input.appId);
    const live = await repo.findLiveConnection(trx, input.appId, input.accountId);
    if (!live) throw new AppError('not_found');
    if (input.by === 'disconnect' && info.hasUnlinkCallback) throw new AppError('unlink_option_unavailable');
    if (input.by === 'delete_all' && !info.hasUnlinkCallback) throw new AppError('unlink_option_unavailable');
    const referrer = REFERRER[input.by];
    const notificationId =
      referrer && info.hasUnlinkCallback
        ? await enqueueNotification(trx, {
            appId: info.id,
            eventType: 'user.unlinked',
            referrerType: referrer,
            appUserId: live.app_user_id,
            now,
          })
        : null;
    if (
      !(await repo.markUnlinked(trx, live.id, {
        unlinked_at: now,
        unlinked_by: input.by,
        notification_id: notificationId,
      }))
    ) {
      throw new AppError('conflict');
    }
    await revoker.revokeConnection(trx, { accountId: input.accountId, appId: input.appId });
    // On the person's Security page, in the unlink's transaction. Account deletion deletes the
    // account's events with it, so it records none.
    if (input.by !== 'account_delete') {
      await recordSecurityEvent(trx, {
        accountId: input.accountId,
        kind: 'app_unlinked',
        at: now,
        detail: info.name,
      });
    }
    return { connectionId: live.id, appUserId: live.app_user_id, notificationId };
  }

  /** @throws AppError('not_found' | 'unlink_option_unavailable' | 'conflict') */
  async function unlink(input: { accountId: string; appId: number; by: UnlinkedBy }) {
    const done = await db.transaction().execute((trx) => unlinkWithin(trx, input));
    if (done.notificationId) outboxCommitted?.();
    return done;
  }

  /** Every link of an account, live first, with items and (for unlinked ones) the notification. */
  async function listForAccount(accountId: string) {
    const rows = await repo.listConnectionsOfAccount(db, accountId);
    const consents = await repo.allConsents(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({ ...r, consents: consents.filter((c) => c.connection_id === r.id) }));
  }

  return { agree, getLive, lastUnlink, withdraw, unlink, unlinkWithin, listForAccount };
}

export type ConnectionsService = ReturnType<typeof createConnectionsService>;
