/**
 * The person's history with each app, read from what the platform keeps: the links (a relink makes
 * a new row), the agreed items (one row per item and link, re-agreeing overwrites the time), the
 * consent events (every agreement to and withdrawal of an optional item, kept after the grant
 * changes again) and the notifications written for the person's app user id (unlinks, and the
 * withdrawals of apps that asked to hear of them).
 *
 * `historyFactsOf` reads the rows (the download writes them out as they are);
 * `appHistoriesOf` tells them as one group per app, newest activity first, with repeated events
 * collapsed into one that carries a count and the latest time.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { CONSENT_ITEMS } from '../apps/apps.types.ts';
import { consentsOfAccount } from './connections.repo.ts';
import type { UnlinkedBy } from './connections.service.ts';
import { type ConsentEventKind, consentEventsOf } from './consent-events.repo.ts';

export type NotificationState = 'pending' | 'delivered' | 'failed';

export interface HistoryFacts {
  links: Array<{
    connectionId: string;
    appId: number;
    appName: string;
    companyName: string | null;
    hasIcon: boolean;
    linkedAt: number;
    unlinkedAt: number | null;
    unlinkedBy: UnlinkedBy | null;
    notificationId: string | null;
  }>;
  consents: Array<{ connectionId: string; item: string; agreedAt: number; withdrawnAt: number | null }>;
  /** oldest first */
  consentEvents: Array<{ appId: number; item: string; kind: ConsentEventKind; at: number }>;
  notifications: Array<{
    id: string;
    appId: number;
    eventType: string;
    /** the withdrawn items of a `user.scope_withdrawn` */
    items: string[];
    state: NotificationState;
    attempts: number;
    createdAt: number;
    deliveredAt: number | null;
    deletionConfirmedAt: number | null;
    deletionConfirmationCode: string | null;
    deletionStatusUrl: string | null;
  }>;
}

/**
 * Only rows of `accountId`: links by account, notifications by the account's own app user ids.
 * Four statements whatever the number of links. The links carry what both the connected-services
 * list and the history show, oldest first.
 */
export async function accountRowsOf(db: Kysely<Database>, accountId: string) {
  const [links, rows] = await Promise.all([linksOfAccount(db, accountId), historyRowsOf(db, accountId)]);
  return { links, ...rows };
}

/** Bound parameters per query, far below SQLite's and PostgreSQL's limits. */
const APP_IDS_PER_QUERY = 500;

/**
 * What the history tells besides the links: consent rows, consent events and notifications, of
 * the apps in `appIds` when given (the list reads the apps whose link has ended only). More apps
 * than one query binds read the whole account; the history then keeps the apps of its links.
 */
export async function historyRowsOf(db: Kysely<Database>, accountId: string, appIds?: number[]) {
  const only = appIds && appIds.length <= APP_IDS_PER_QUERY ? appIds : undefined;
  const [consents, consentEvents, notifications] = await Promise.all([
    consentsOfAccount(db, accountId, only),
    consentEventsOf(db, accountId, only),
    db
      .selectFrom('notifications as n')
      .innerJoin('app_user_ids as u', (join) =>
        join.onRef('u.app_id', '=', 'n.app_id').onRef('u.app_user_id', '=', 'n.app_user_id'),
      )
      .select([
        'n.id',
        'n.app_id',
        'n.event_type',
        'n.data',
        'n.status',
        'n.attempts',
        'n.created_at',
        'n.delivered_at',
        'n.deletion_confirmed_at',
        'n.deletion_confirmation_code',
        'n.deletion_status_url',
      ])
      .where('u.account_id', '=', accountId)
      .$if(only !== undefined, (q) => q.where('n.app_id', 'in', only!))
      .where('n.is_test', '=', 0)
      .orderBy('n.created_at')
      .execute(),
  ]);
  return { consents, consentEvents, notifications };
}

/**
 * Case 1 of Kakao's unlink (the app has an unlink callback) as a flag rather than the URL: a page
 * of 200 links turns each value read into a JS value, and a number or boolean costs less than a
 * string (0/1 on SQLite, a boolean on PostgreSQL; read it with `!!`).
 */
export const hasUnlinkCallbackSql = sql<unknown>`(a.unlink_callback_url is not null and a.unlink_callback_url <> '')`;

/**
 * Every link of the account with its app and icon, oldest first (what the list and history show):
 * only the columns they show, since each value read costs the page more than finding its row.
 */
export function linksOfAccount(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('connections as c')
    .innerJoin('apps as a', 'a.id', 'c.app_id')
    .leftJoin('app_icons as i', 'i.app_id', 'c.app_id')
    .select([
      'c.id',
      'c.app_id',
      'c.status',
      'a.name',
      'a.company_name',
      hasUnlinkCallbackSql.as('has_unlink_callback'),
      'i.app_id as icon_app_id',
      'c.connected_at',
      'c.unlinked_at',
      'c.unlinked_by',
      'c.notification_id',
    ])
    .where('c.account_id', '=', accountId)
    .orderBy('c.connected_at')
    .execute();
}

export type AccountRows = Awaited<ReturnType<typeof accountRowsOf>>;

export async function historyFactsOf(db: Kysely<Database>, accountId: string): Promise<HistoryFacts> {
  return historyFactsFrom(await accountRowsOf(db, accountId));
}

/** The history's facts from rows already read (the rows are not changed). */
export function historyFactsFrom({
  links,
  consents,
  consentEvents,
  notifications,
}: AccountRows): HistoryFacts {
  return {
    links: links.map((l) => ({
      connectionId: l.id,
      appId: l.app_id,
      appName: l.name,
      companyName: l.company_name,
      hasIcon: l.icon_app_id !== null,
      linkedAt: Number(l.connected_at),
      unlinkedAt: l.unlinked_at === null ? null : Number(l.unlinked_at),
      unlinkedBy: l.unlinked_by as UnlinkedBy | null,
      notificationId: l.notification_id,
    })),
    consents: consents
      .map((c) => ({
        connectionId: c.connection_id,
        item: c.item,
        agreedAt: Number(c.agreed_at),
        withdrawnAt: c.withdrawn_at === null ? null : Number(c.withdrawn_at),
      }))
      .sort((a, b) => a.agreedAt - b.agreedAt || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0)),
    consentEvents,
    notifications: notifications.map((n) => ({
      id: n.id,
      appId: n.app_id,
      eventType: n.event_type,
      items: withdrawnItemsOf(n.event_type, n.data),
      state: n.status as NotificationState,
      attempts: n.attempts,
      createdAt: Number(n.created_at),
      deliveredAt: n.delivered_at === null ? null : Number(n.delivered_at),
      deletionConfirmedAt: n.deletion_confirmed_at === null ? null : Number(n.deletion_confirmed_at),
      deletionConfirmationCode: n.deletion_confirmation_code,
      deletionStatusUrl: n.deletion_status_url,
    })),
  };
}

function withdrawnItemsOf(eventType: string, data: string): string[] {
  if (eventType !== 'user.scope_withdrawn') return [];
  try {
    const scopes = (JSON.parse(data) as { scopes?: unknown }).scopes;
    return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

export type HistoryEvent =
  | { kind: 'linked_first'; at: number; count: number }
  | { kind: 'linked_again'; at: number; count: number }
  | { kind: 'agreed'; at: number; count: number; items: string[] }
  | { kind: 'withdrawn'; at: number; count: number; items: string[] }
  | {
      kind: 'unlinked';
      at: number;
      count: number;
      by: UnlinkedBy;
      notification: HistoryFacts['notifications'][number] | null;
    };

export interface AppHistory {
  appId: number;
  name: string;
  companyName: string | null;
  hasIcon: boolean;
  linkedNow: boolean;
  lastActivityAt: number;
  /** newest first */
  events: HistoryEvent[];
}

/** One group per app, newest activity first; the same event repeated is told once. */
export function appHistoriesOf(facts: HistoryFacts): AppHistory[] {
  const linkById = new Map(facts.links.map((l) => [l.connectionId, l]));
  const notificationById = new Map(facts.notifications.map((n) => [n.id, n]));
  const raw = new Map<number, HistoryEvent[]>();
  const push = (appId: number, e: HistoryEvent) => {
    const list = raw.get(appId);
    if (list) list.push(e);
    else raw.set(appId, [e]);
  };
  // Links are read oldest first, so an app's first row is its first link.
  const linkedBefore = new Set<number>();
  for (const l of facts.links) {
    const first = !linkedBefore.has(l.appId);
    linkedBefore.add(l.appId);
    push(l.appId, { kind: first ? 'linked_first' : 'linked_again', at: l.linkedAt, count: 1 });
    if (l.unlinkedAt !== null && l.unlinkedBy) {
      const n = l.notificationId ? (notificationById.get(l.notificationId) ?? null) : null;
      push(l.appId, { kind: 'unlinked', at: l.unlinkedAt, count: 1, by: l.unlinkedBy, notification: n });
    }
  }
  // Items agreed in the same moment (one consent page) are one event.
  // A consent row and a consent event may tell the same agreement: one item counts once.
  // Both are keyed by app, then time, then item, without building a string key per row: the
  // collapse below sorts by time and kind (stably), so only the order of items at one time and
  // app must be kept, and each Set keeps it.
  const agreedAt = new Map<number, Map<number, Set<string>>>();
  // The same withdrawal told by a row, an event and a notification counts once.
  const withdrawals = new Map<number, Map<number, Set<string>>>();
  const add = (into: typeof agreedAt, appId: number, at: number, item: string) => {
    let byAt = into.get(appId);
    if (!byAt) {
      byAt = new Map();
      into.set(appId, byAt);
    }
    const items = byAt.get(at);
    if (items) items.add(item);
    else byAt.set(at, new Set([item]));
  };
  for (const c of facts.consents) {
    const link = linkById.get(c.connectionId);
    if (!link) continue;
    add(agreedAt, link.appId, c.agreedAt, c.item);
    if (c.withdrawnAt !== null) add(withdrawals, link.appId, c.withdrawnAt, c.item);
  }
  for (const e of facts.consentEvents)
    add(e.kind === 'agreed' ? agreedAt : withdrawals, e.appId, e.at, e.item);
  // Items in the order the consent page lists them.
  const order = (item: string) => (CONSENT_ITEMS as readonly string[]).indexOf(item);
  for (const [appId, byAt] of agreedAt)
    for (const [at, items] of byAt)
      push(appId, { kind: 'agreed', at, count: 1, items: [...items].sort((x, y) => order(x) - order(y)) });
  for (const n of facts.notifications)
    for (const item of n.items) add(withdrawals, n.appId, n.createdAt, item);
  for (const [appId, byAt] of withdrawals)
    for (const [at, items] of byAt)
      for (const item of items) push(appId, { kind: 'withdrawn', at, count: 1, items: [item] });
  const groups = new Map<number, AppHistory>();
  for (const l of facts.links) {
    const group = groups.get(l.appId);
    if (group) group.linkedNow ||= l.unlinkedAt === null;
    else
      groups.set(l.appId, {
        appId: l.appId,
        name: l.appName,
        companyName: l.companyName,
        hasIcon: l.hasIcon,
        linkedNow: l.unlinkedAt === null,
        lastActivityAt: l.linkedAt,
        events: [],
      });
  }
  for (const group of groups.values()) {
    group.events = collapse(raw.get(group.appId) ?? []);
    group.lastActivityAt = group.events[0]?.at ?? group.lastActivityAt;
  }
  return [...groups.values()].sort((a, b) => b.lastActivityAt - a.lastActivityAt);
}

/** What makes two events "the same": kind and what it was about (not when). */
function sameness(e: HistoryEvent): string {
  switch (e.kind) {
    case 'agreed':
    case 'withdrawn':
      return `${e.kind} ${e.items.join(',')}`;
    case 'unlinked': {
      // A receipt is the app's proof for one request: it is never folded into another.
      const n = e.notification;
      return n?.deletionConfirmationCode || n?.deletionConfirmedAt
        ? `unlinked ${n.id}`
        : `unlinked ${e.by} ${n?.state ?? 'none'}`;
    }
    default:
      return e.kind;
  }
}

/** At the same moment, what logically came later is listed first (newest first). */
const LATER: Record<HistoryEvent['kind'], number> = {
  linked_first: 0,
  linked_again: 1,
  agreed: 2,
  withdrawn: 3,
  unlinked: 4,
};

/** Sorts and counts in place: the events are this call's own, made by `appHistoriesOf`. */
function collapse(events: HistoryEvent[]): HistoryEvent[] {
  const byKey = new Map<string, HistoryEvent>();
  for (const e of events.sort((a, b) => b.at - a.at || LATER[b.kind] - LATER[a.kind])) {
    const key = sameness(e);
    const kept = byKey.get(key);
    if (kept) kept.count += 1;
    else byKey.set(key, e);
  }
  return [...byKey.values()];
}
