/**
 * The delivery log and the callback's controls. No Fastify here: the console
 * pages, the JSON API and the app-facing Kakao-style API call these functions.
 *
 * - Functions taking an `actor` go through the apps policy (apps.policy.ts, the one chokepoint):
 *   every member may read the log; owners and admins ('update') redeliver, pause, resume and
 *   choose events. Non-members get not_found.
 * - Functions taking an `appId` alone are for the app itself, authenticated by its admin key
 *   in the route (deletion receipts §6, catch-up §7).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { AppError, validationError } from '../../errors/catalogue.ts';
import type { Clock } from '../../lib/clock.ts';
import { type AppAction, authorize } from '../apps/apps.policy.ts';
import { findAppRow, memberRole, updateAppRow } from '../apps/apps.repo.ts';
import type { Actor } from '../apps/apps.types.ts';
import type { NotificationRow } from './delivery.repo.ts';
import { OPTIONAL_EVENTS, type OptionalEvent, subscribedEventsOf } from './events.ts';
import * as log from './log.repo.ts';
import { toUnlinkEvent, toView } from './log.views.ts';
import type {
  DeliveryHealth,
  DeliveryPage,
  DeliveryState,
  DeliveryStatus,
  DeliveryView,
  PauseReason,
  UnlinkEventView,
} from './notifications.types.ts';
import { parseReceiptInput } from './receipts.ts';

export interface NotificationsDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** after a COMMIT that made rows due now: wakes this process's dispatcher (outbox-signal.ts) */
  outboxCommitted?: () => void;
  /** the dispatcher's retry settings (config `notify`), shown as they are configured */
  retry?: { schedule: readonly number[]; jitter: number };
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  state?: DeliveryState;
  /** the app user id, as typed (a page's query) or as a number (the API) */
  userId?: string | number;
  before?: string;
  limit?: number;
}

/** Unlinks younger than this are not listed yet by the catch-up API (log.repo.ts `unlinksAfter`). */
export const CATCH_UP_SETTLE_MS = 5_000;
export const PAGE_LIMIT_MAX = 100;

const ID = /^[\w-]{1,64}$/;

/** App user ids are positive 63-bit integers at most; 0 is a test's. */
const USER_ID = /^\d{1,19}$/;

/** @throws AppError('validation_failed') on `user_id` when it is not a whole number */
function parseUserId(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const text = String(value).trim();
  const n = Number(text);
  if (!USER_ID.test(text) || !Number.isSafeInteger(n))
    throw validationError([{ field: 'user_id', message: 'deliveries.filter.user_id_invalid' }]);
  return n;
}

export function createNotificationsService({ db, clock, outboxCommitted, retry }: NotificationsDeps) {
  /** @throws AppError('not_found' | 'forbidden') */
  async function access(actor: Actor, appId: number, action: AppAction): Promise<void> {
    const role = Number.isSafeInteger(appId) ? await memberRole(db, appId, actor.accountId) : undefined;
    authorize(role, action);
  }

  async function withAttempts(rows: NotificationRow[]): Promise<DeliveryView[]> {
    const attempts = await log.attemptsFor(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((row) =>
      toView(
        row,
        attempts
          .filter((a) => a.notification_id === row.id)
          .map(({ notification_id, app_id, id, worker, ...view }) => view),
      ),
    );
  }

  /** @throws AppError('not_found') */
  async function getHealth(actor: Actor, appId: number): Promise<DeliveryHealth> {
    await access(actor, appId, 'read');
    const app = await findAppRow(db, appId);
    if (!app) throw new AppError('not_found');
    return {
      callback_url: app.unlink_callback_url,
      state: app.unlink_state === 'paused' ? 'paused' : 'active',
      paused_reason:
        app.unlink_state === 'paused' ? ((app.unlink_paused_reason as PauseReason) ?? 'manual') : null,
      paused_at: app.unlink_state === 'paused' ? app.unlink_paused_at : null,
      failing_since: app.notify_failing_since,
      last_success_at: app.notify_last_success_at,
      counts: await log.countByStatus(db, appId),
      retry_schedule_ms: [...(retry?.schedule ?? [])],
      retry_jitter: retry?.jitter ?? 0,
      format: app.unlink_format === 'json' ? 'json' : 'kakao',
      events: subscribedEventsOf(app),
    };
  }

  /**
   * Newest first, `limit` ≤ 100, older pages with `before`; by status or state and by app user id.
   * @throws AppError('not_found' | 'validation_failed')
   */
  async function listDeliveries(
    actor: Actor,
    appId: number,
    options: DeliveryFilter = {},
  ): Promise<DeliveryPage> {
    await access(actor, appId, 'read');
    const appUserId = parseUserId(options.userId);
    const limit = Math.min(Math.max(options.limit ?? 50, 1), PAGE_LIMIT_MAX);
    const before = options.before && ID.test(options.before) ? options.before : undefined;
    const rows = await log.listOfApp(db, appId, {
      status: options.status,
      state: options.state,
      appUserId,
      before,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { items: await withAttempts(page), next_cursor: rows.length > limit ? page.at(-1)!.id : null };
  }

  /** @throws AppError('not_found') */
  async function getDelivery(actor: Actor, appId: number, id: string): Promise<DeliveryView> {
    await access(actor, appId, 'read');
    const row = ID.test(id) ? await log.findOfApp(db, appId, id) : undefined;
    if (!row) throw new AppError('not_found');
    return (await withAttempts([row]))[0]!;
  }

  /**
   * One more attempt for a failed notification, now (a failed one is redelivered by hand).
   * @throws AppError('not_found' | 'forbidden' | 'notification_not_failed')
   */
  async function redeliver(actor: Actor, appId: number, id: string): Promise<void> {
    await access(actor, appId, 'update');
    const row = ID.test(id) ? await log.findOfApp(db, appId, id) : undefined;
    if (!row || row.is_test === 1) throw new AppError('not_found');
    if ((await log.requeueFailed(db, appId, clock.now(), id)) === 0)
      throw new AppError('notification_not_failed');
    outboxCommitted?.();
  }

  /** @returns how many failed notifications were queued again. @throws AppError('not_found' | 'forbidden') */
  async function redeliverAllFailed(actor: Actor, appId: number): Promise<number> {
    await access(actor, appId, 'update');
    const queued = await log.requeueFailed(db, appId, clock.now());
    if (queued > 0) outboxCommitted?.();
    return queued;
  }

  /** Stops deliveries; notifications wait (nothing is dropped). @throws AppError('not_found' | 'forbidden') */
  async function pause(actor: Actor, appId: number): Promise<void> {
    await access(actor, appId, 'update');
    const now = clock.now();
    await updateAppRow(db, appId, {
      unlink_state: 'paused',
      unlink_paused_reason: 'manual',
      unlink_paused_at: now,
      updated_at: now,
    });
  }

  /**
   * Delivers again, the waiting backlog first, with a fresh failure window.
   * @throws AppError('not_found' | 'forbidden' | 'validation_failed' when no callback URL is set)
   */
  async function resume(actor: Actor, appId: number): Promise<void> {
    await access(actor, appId, 'update');
    const app = await findAppRow(db, appId);
    if (!app) throw new AppError('not_found');
    if (!app.unlink_callback_url)
      throw validationError([{ field: 'callback_url', message: 'validation.required' }]);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await updateAppRow(trx, appId, {
        unlink_state: 'active',
        unlink_paused_reason: null,
        unlink_paused_at: null,
        notify_failing_since: null,
        updated_at: now,
      });
      await log.pullPendingForward(trx, appId, now);
    });
    outboxCommitted?.();
  }

  /**
   * Which optional events the callback also receives (JSON format only).
   * @throws AppError('validation_failed' | 'not_found' | 'forbidden')
   */
  async function setEvents(actor: Actor, appId: number, events: string[]): Promise<OptionalEvent[]> {
    await access(actor, appId, 'update');
    const app = await findAppRow(db, appId);
    if (!app) throw new AppError('not_found');
    const unknown = events.filter((e) => !(OPTIONAL_EVENTS as readonly string[]).includes(e));
    if (unknown.length)
      throw validationError(
        unknown.map(() => ({ field: 'events', message: 'notifications.events.unknown' })),
      );
    const chosen = OPTIONAL_EVENTS.filter((e) => events.includes(e));
    if (chosen.length && app.unlink_format !== 'json')
      throw validationError([{ field: 'events', message: 'notifications.events.json_only' }]);
    await updateAppRow(db, appId, { notify_events: JSON.stringify(chosen), updated_at: clock.now() });
    return chosen;
  }

  // ---- for the app itself (admin key checked by the route) --------------------------------------

  /**
   * The app confirms it deleted the person's data.
   * @throws AppError('validation_failed' | 'not_found')
   */
  async function confirmDeletion(
    appId: number,
    id: string,
    input: { confirmation_code?: unknown; status_url?: unknown },
  ): Promise<UnlinkEventView> {
    const { value, issues } = parseReceiptInput(input);
    if (!value) throw validationError(issues);
    const row = ID.test(id) ? await log.setDeletionReceipt(db, appId, id, value, clock.now()) : undefined;
    if (row?.event_type !== 'user.unlinked' || row.is_test === 1) throw new AppError('not_found');
    return toUnlinkEvent(row);
  }

  /** Unlink events after a cursor, oldest first. */
  async function listUnlinks(
    appId: number,
    options: { after?: string; limit?: number },
  ): Promise<{ elements: UnlinkEventView[]; after: string | null; has_more: boolean }> {
    const limit = Math.min(Math.max(options.limit ?? PAGE_LIMIT_MAX, 1), PAGE_LIMIT_MAX);
    if (options.after !== undefined && !ID.test(options.after))
      throw validationError([{ field: 'after', message: 'validation.invalid' }]);
    const rows = await log.unlinksAfter(db, appId, {
      after: options.after,
      limit: limit + 1,
      settledBefore: clock.now() - CATCH_UP_SETTLE_MS,
    });
    const page = rows.slice(0, limit);
    return {
      elements: page.map(toUnlinkEvent),
      after: page.at(-1)?.id ?? options.after ?? null,
      has_more: rows.length > limit,
    };
  }

  return {
    getHealth,
    listDeliveries,
    getDelivery,
    redeliver,
    redeliverAllFailed,
    pause,
    resume,
    setEvents,
    confirmDeletion,
    listUnlinks,
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
