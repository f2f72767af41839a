/**
 * The read model of Manage Connected Services (issue #5 §1, §4): every app an account is or was
 * linked to, with what the page shows, in two queries whatever the number of apps (one for the
 * links joined with their apps and notifications, one for the agreed items of all of them, grouped
 * here by connection in one pass).
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
  /** seed case 1: the app has an unlink callback */
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
    .leftJoin('notifications as n', 'n.id', 'c.notification_id')
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
      'n.id as notification_id',
      'n.status as notification_status',
      'n.delivered_at',
      'n.deletion_confirmed_at',
      'n.deletion_confirmation_code',
      'n.deletion_status_url',
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
    previous.push({
      ...base,
      unlinkedAt: r.unlinked_at ?? r.connected_at,
      unlinkedBy: r.unlinked_by as UnlinkedBy,
      notification: r.notification_id
        ? {
            id: r.notification_id,
            status: r.notification_status as 'pending' | 'delivered' | 'failed',
            deliveredAt: r.delivered_at,
            deletionConfirmedAt: r.deletion_confirmed_at,
            deletionConfirmationCode: r.deletion_confirmation_code,
            deletionStatusUrl: r.deletion_status_url,
          }
        : null,
    });
  }
  previous.sort((a, b) => b.unlinkedAt - a.unlinkedAt);
  return { connected, previous };
}
