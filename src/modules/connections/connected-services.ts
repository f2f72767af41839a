/**
 * The read model of Manage Connected Services: every app an account is or was
 * linked to, with what the page shows, in two queries whatever the number of apps (one for the
 * links joined with their apps, one for the agreed items of all of them, grouped here by
 * connection in one pass), and a third, by primary key, for the unlink notifications of the
 * previously connected ones when there are any.
 *
 * Notifications are not joined into the first query: the table gains a row with every unlink on
 * the platform, and PostgreSQL's planner chose to hash all of it for each page view rather than
 * probe its key for each link (17 ms of a 24 ms page with 31 k notifications in the bench).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
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

export async function connectedServicesOf(db: Kysely<Database>, accountId: string) {
  const rows = await db
    .selectFrom('connections as c')
    .innerJoin('apps as a', 'a.id', 'c.app_id')
    .leftJoin('app_icons as i', 'i.app_id', 'c.app_id')
    .select([
      'c.id as connection_id',
      'c.app_id',
      'c.app_user_id',
      'c.status',
      'c.connected_at',
      'c.unlinked_at',
      'c.unlinked_by',
      'a.name',
      'a.company_name',
      'a.privacy_policy_url',
      'a.unlink_callback_url',
      'i.app_id as icon_app_id',
      'c.notification_id',
    ])
    .where('c.account_id', '=', accountId)
    .orderBy('c.connected_at', 'desc')
    .execute();
  const itemsByConnection = new Map<string, ConnectedApp['items']>();
  for (const c of await consentsOfAccount(db, accountId)) {
    const item = { item: c.item, agreedAt: c.agreed_at, withdrawnAt: c.withdrawn_at };
    const list = itemsByConnection.get(c.connection_id);
    if (list) list.push(item);
    else itemsByConnection.set(c.connection_id, [item]);
  }
  const notifications = await notificationsByIds(
    db,
    rows.filter((r) => r.status !== 'linked' && r.notification_id !== null).map((r) => r.notification_id!),
  );
  const connected: ConnectedApp[] = [];
  const previous: PreviousApp[] = [];
  for (const r of rows) {
    const base: ConnectedApp = {
      connectionId: r.connection_id,
      appId: r.app_id,
      appUserId: r.app_user_id,
      name: r.name,
      companyName: r.company_name,
      privacyPolicyUrl: r.privacy_policy_url,
      hasIcon: r.icon_app_id !== null,
      hasUnlinkCallback: !!r.unlink_callback_url,
      connectedAt: r.connected_at,
      items: itemsByConnection.get(r.connection_id) ?? [],
    };
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
