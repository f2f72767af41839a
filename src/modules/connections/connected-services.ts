/**
 * The read model of Manage Connected Services: every app an account is or was linked to, with
 * what the page shows, built from the rows the history reads as well (`accountRowsOf`: the links
 * joined with their apps, their consent rows, grouped here by connection in one pass, and the
 * person's notifications, where the unlink notifications of the previously connected apps are
 * found), so one page view reads each of them once whatever the number of apps. A page about one
 * live link reads that link alone (`liveConnectionOf`).
 *
 * Notifications are not joined into the first query: the table gains a row with every unlink on
 * the platform, and PostgreSQL's planner chose to hash all of it for each page view rather than
 * probe its key for each link (17 ms of a 24 ms page with 31 k notifications in the bench).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { type AccountRows, linksOfAccount } from './connection-history.ts';
import { consentsOfAccount } from './connections.repo.ts';
import type { UnlinkedBy } from './connections.service.ts';

export interface ConnectedApp {
  connectionId: string;
  appId: number;
  appUserId: number;
  name: string;
  companyName: string | null;
  privacyPolicyUrl: string | null;
  hasIcon: boolean;
  /** case 1: the app has an unlink callback */
  hasUnlinkCallback: boolean;
  connectedAt: number;
  items: Array<{ item: string; agreedAt: number; withdrawnAt: number | null }>;
}

/** The columns of a link with its app that both the listing and the one-link read return. */
interface LinkedAppRow {
  app_id: number;
  app_user_id: number;
  name: string;
  company_name: string | null;
  privacy_policy_url: string | null;
  icon_app_id: number | null;
  unlink_callback_url: string | null;
  connected_at: number;
}

function connectedAppOf(connectionId: string, r: LinkedAppRow, items: ConnectedApp['items']): ConnectedApp {
  return {
    connectionId,
    appId: r.app_id,
    appUserId: r.app_user_id,
    name: r.name,
    companyName: r.company_name,
    privacyPolicyUrl: r.privacy_policy_url,
    hasIcon: r.icon_app_id !== null,
    hasUnlinkCallback: !!r.unlink_callback_url,
    connectedAt: r.connected_at,
    items,
  };
}

export interface PreviousApp extends ConnectedApp {
  unlinkedAt: number;
  unlinkedBy: UnlinkedBy;
  notification: null | {
    id: string;
    status: 'pending' | 'delivered' | 'failed';
    deliveredAt: number | null;
    deletionConfirmedAt: number | null;
    deletionConfirmationCode: string | null;
    deletionStatusUrl: string | null;
  };
}

/**
 * The apps alone, without the history: the links and their consent rows, and the unlink
 * notifications of the previously connected ones by primary key when there are any. Notifications
 * are never joined to the links: the table gains a row with every unlink on the platform, and
 * PostgreSQL's planner chose to hash all of it for each page view rather than probe its key for
 * each link (17 ms of a 24 ms page with 31 k notifications in the bench).
 */
export async function connectedServicesOf(db: Kysely<Database>, accountId: string) {
  const [links, consents] = await Promise.all([
    linksOfAccount(db, accountId),
    consentsOfAccount(db, accountId),
  ]);
  return connectedServicesWith(db, { links, consents, notifications: [] });
}

type Notification = Pick<
  AccountRows['notifications'][number],
  | 'id'
  | 'status'
  | 'delivered_at'
  | 'deletion_confirmed_at'
  | 'deletion_confirmation_code'
  | 'deletion_status_url'
>;

/**
 * The page's apps from the account's rows already read (`accountRowsOf`, which the history reads
 * too). An unlink notification is found among the person's own notifications read there; only one
 * not among them (a link whose app user id row is gone) is read by its key.
 */
export async function connectedServicesWith(
  db: Kysely<Database>,
  rows: Pick<AccountRows, 'links' | 'consents' | 'notifications'>,
) {
  const known = new Map<string, Notification>(rows.notifications.map((n) => [n.id, n]));
  const missing = rows.links
    .filter((r) => r.status !== 'linked' && r.notification_id !== null && !known.has(r.notification_id))
    .map((r) => r.notification_id!);
  const notifications = missing.length
    ? new Map([...known, ...(await notificationsByIds(db, missing))])
    : known;
  return connectedServicesFrom(rows, notifications);
}

function connectedServicesFrom(
  { links, consents }: Pick<AccountRows, 'links' | 'consents'>,
  notifications: Map<string, Notification>,
) {
  const itemsByConnection = new Map<string, ConnectedApp['items']>();
  for (const c of consents) {
    const item = { item: c.item, agreedAt: c.agreed_at, withdrawnAt: c.withdrawn_at };
    const list = itemsByConnection.get(c.connection_id);
    if (list) list.push(item);
    else itemsByConnection.set(c.connection_id, [item]);
  }
  const connected: ConnectedApp[] = [];
  const previous: PreviousApp[] = [];
  // The links are read oldest first (the history's order); the page lists the newest first.
  for (let k = links.length - 1; k >= 0; k--) {
    const r = links[k]!;
    const base = connectedAppOf(r.id, r, itemsByConnection.get(r.id) ?? []);
    if (r.status === 'linked') {
      connected.push(base);
      continue;
    }
    const n = r.notification_id === null ? undefined : notifications.get(r.notification_id);
    previous.push({
      ...base,
      unlinkedAt: r.unlinked_at ?? r.connected_at,
      unlinkedBy: r.unlinked_by as UnlinkedBy,
      notification: n
        ? {
            id: n.id,
            status: n.status as 'pending' | 'delivered' | 'failed',
            deliveredAt: n.delivered_at,
            deletionConfirmedAt: n.deletion_confirmed_at,
            deletionConfirmationCode: n.deletion_confirmation_code,
            deletionStatusUrl: n.deletion_status_url,
          }
        : null,
    });
  }
  previous.sort((a, b) => b.unlinkedAt - a.unlinkedAt);
  return { connected, previous };
}

/**
 * The person's live link to one app with its app, icon and consent rows (withdrawn ones too), in
 * one statement on the live-link index: the confirmation pages and their POSTs need this link
 * only, not the person's whole listing. Undefined when the person is not linked to the app.
 */
export async function liveConnectionOf(
  db: Kysely<Database>,
  accountId: string,
  appId: number,
): Promise<ConnectedApp | undefined> {
  const rows = await db
    .selectFrom('connections as c')
    .innerJoin('apps as a', 'a.id', 'c.app_id')
    .leftJoin('app_icons as i', 'i.app_id', 'c.app_id')
    .leftJoin('connection_consents as cc', 'cc.connection_id', 'c.id')
    .select([
      'c.id as connection_id',
      'c.app_id',
      'c.app_user_id',
      'c.connected_at',
      'a.name',
      'a.company_name',
      'a.privacy_policy_url',
      'a.unlink_callback_url',
      'i.app_id as icon_app_id',
      'cc.item',
      'cc.agreed_at',
      'cc.withdrawn_at',
    ])
    .where('c.app_id', '=', appId)
    .where('c.account_id', '=', accountId)
    .where('c.status', '=', 'linked')
    .execute();
  const r = rows[0];
  if (!r) return undefined;
  const items: ConnectedApp['items'] = [];
  for (const c of rows)
    if (c.item !== null) items.push({ item: c.item, agreedAt: c.agreed_at!, withdrawnAt: c.withdrawn_at });
  return connectedAppOf(r.connection_id, r, items);
}

/** Bound parameters per query: far below SQLite's and PostgreSQL's limits. */
const IDS_PER_QUERY = 500;

/** The notifications with these ids, by primary key, keyed by id. */
async function notificationsByIds(db: Kysely<Database>, ids: string[]) {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) chunks.push(ids.slice(i, i + IDS_PER_QUERY));
  const found = await Promise.all(
    chunks.map((chunk) =>
      db
        .selectFrom('notifications')
        .select([
          'id',
          'status',
          'delivered_at',
          'deletion_confirmed_at',
          'deletion_confirmation_code',
          'deletion_status_url',
        ])
        .where('id', 'in', chunk)
        .execute(),
    ),
  );
  return new Map(found.flat().map((n) => [n.id, n]));
}
