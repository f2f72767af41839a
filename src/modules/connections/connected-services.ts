/**
 * The read model of Manage Connected Services. The list reads the person's links with their apps
 * (one statement, `linksOfAccount`); only the apps whose link has ended need their history for the
 * "Previously connected" list, so their consent rows, consent events and notifications are read
 * only when there are any, and only for those apps (`historyRowsOf`). A page about one live link
 * reads that link alone (`liveConnectionOf`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import {
  type AppHistory,
  appHistoriesOf,
  hasUnlinkCallbackSql,
  historyFactsFrom,
  historyRowsOf,
  linksOfAccount,
} from './connection-history.ts';

/** A live link as the list shows it. */
export interface ListedApp {
  appId: number;
  name: string;
  companyName: string | null;
  hasIcon: boolean;
  /** case 1: the app has an unlink callback */
  hasUnlinkCallback: boolean;
  connectedAt: number;
}

/** A live link with its agreed items (withdrawn ones too), as its own page shows it. */
export interface ConnectedApp extends ListedApp {
  connectionId: string;
  privacyPolicyUrl: string | null;
  items: Array<{ item: string; agreedAt: number; withdrawnAt: number | null }>;
}

/** The columns of a link with its app that both the listing and the one-link read return. */
interface LinkedAppRow {
  app_id: number;
  name: string;
  company_name: string | null;
  icon_app_id: number | null;
  /** `hasUnlinkCallbackSql`: 0/1 on SQLite, a boolean on PostgreSQL */
  has_unlink_callback: unknown;
  connected_at: number;
}

function listedAppOf(r: LinkedAppRow): ListedApp {
  return {
    appId: r.app_id,
    name: r.name,
    companyName: r.company_name,
    hasIcon: r.icon_app_id !== null,
    hasUnlinkCallback: !!r.has_unlink_callback,
    connectedAt: r.connected_at,
  };
}

/**
 * The list: the live links, newest first; the history of every app whose link has ended (newest
 * activity first), which the page tells as "Previously connected"; and whether there is any
 * history at all (every link is some). Two statements more, whatever their number, when a link has
 * ended, and none otherwise.
 */
export async function connectedServicesOf(
  db: Kysely<Database>,
  accountId: string,
): Promise<{ connected: ListedApp[]; previous: AppHistory[]; hasHistory: boolean }> {
  const links = await linksOfAccount(db, accountId);
  const connected: ListedApp[] = [];
  const ended = new Set<number>();
  // The links are read oldest first (the history's order); the page lists the newest first.
  for (let k = links.length - 1; k >= 0; k--) {
    const r = links[k]!;
    if (r.status === 'linked') connected.push(listedAppOf(r));
    else ended.add(r.app_id);
  }
  if (!ended.size) return { connected, previous: [], hasHistory: links.length > 0 };
  const endedLinks = links.filter((l) => ended.has(l.app_id));
  const rows = await historyRowsOf(db, accountId, [...ended]);
  const histories = appHistoriesOf(historyFactsFrom({ links: endedLinks, ...rows }));
  return {
    connected,
    previous: histories.filter((g) => g.events.some((e) => e.kind === 'unlinked')),
    hasHistory: true,
  };
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
      'c.connected_at',
      'a.name',
      'a.company_name',
      'a.privacy_policy_url',
      hasUnlinkCallbackSql.as('has_unlink_callback'),
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
  return {
    ...listedAppOf(r),
    connectionId: r.connection_id,
    privacyPolicyUrl: r.privacy_policy_url,
    items,
  };
}
