/** Connection, consent and app-user-id queries. Every function takes the database or a transaction. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ConnectionsTable } from '../../db/tables/connections.ts';

export type Executor = Kysely<Database> | Transaction<Database>;
export type Connection = Selectable<ConnectionsTable>;

export async function findAppUserId(
  db: Executor,
  appId: number,
  accountId: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('app_user_ids')
    .select('app_user_id')
    .where('app_id', '=', appId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row?.app_user_id;
}

export async function insertAppUserId(
  db: Executor,
  row: { app_id: number; account_id: string; app_user_id: number; created_at: number },
) {
  await db.insertInto('app_user_ids').values(row).execute();
}

export async function findLiveConnection(
  db: Executor,
  appId: number,
  accountId: string,
): Promise<Connection | undefined> {
  return db
    .selectFrom('connections')
    .selectAll()
    .where('app_id', '=', appId)
    .where('account_id', '=', accountId)
    .where('status', '=', 'linked')
    .executeTakeFirst();
}

export async function findLiveConnectionByAppUserId(
  db: Executor,
  appId: number,
  appUserId: number,
): Promise<Connection | undefined> {
  return db
    .selectFrom('connections')
    .selectAll()
    .where('app_id', '=', appId)
    .where('app_user_id', '=', appUserId)
    .where('status', '=', 'linked')
    .executeTakeFirst();
}

export async function insertConnection(db: Executor, row: Connection): Promise<void> {
  await db.insertInto('connections').values(row).execute();
}

export async function markUnlinked(
  db: Executor,
  id: string,
  change: { unlinked_at: number; unlinked_by: string; notification_id: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('connections')
    .set({ status: 'unlinked', ...change })
    .where('id', '=', id)
    .where('status', '=', 'linked')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listConnectionsOfAccount(db: Executor, accountId: string): Promise<Connection[]> {
  return db
    .selectFrom('connections')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('connected_at', 'desc')
    .execute();
}

export async function activeConsents(db: Executor, connectionId: string) {
  return db
    .selectFrom('connection_consents')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('withdrawn_at', 'is', null)
    .execute();
}

export async function allConsents(db: Executor, connectionIds: string[]) {
  if (connectionIds.length === 0) return [];
  return db
    .selectFrom('connection_consents')
    .selectAll()
    .where('connection_id', 'in', connectionIds)
    .execute();
}

/**
 * Every consent row of the account's connections (live and history), in one join on the account's
 * index, or of the apps in `appIds` (the history of the apps whose link has ended). Connection ids
 * are never listed: an IN list of 200 ids cost more to build and plan than the rows cost to read.
 */
export async function consentsOfAccount(db: Executor, accountId: string, appIds?: readonly number[]) {
  return db
    .selectFrom('connections as c')
    .innerJoin('connection_consents as cc', 'cc.connection_id', 'c.id')
    .select(['cc.connection_id', 'cc.item', 'cc.agreed_at', 'cc.withdrawn_at'])
    .where('c.account_id', '=', accountId)
    .$if(appIds !== undefined, (q) => q.where('c.app_id', 'in', appIds!))
    .execute();
}

/** Agree to items: new rows, or re-agree a withdrawn item (keeps nothing of the old agreement time). */
export async function upsertConsents(
  db: Executor,
  connectionId: string,
  items: string[],
  now: number,
): Promise<void> {
  for (const item of items) {
    await db
      .insertInto('connection_consents')
      .values({ connection_id: connectionId, item, agreed_at: now, withdrawn_at: null })
      .onConflict((oc) =>
        oc
          .columns(['connection_id', 'item'])
          .doUpdateSet({ agreed_at: now, withdrawn_at: null })
          .where('connection_consents.withdrawn_at', 'is not', null),
      )
      .execute();
  }
}

export async function withdrawConsentRow(
  db: Executor,
  connectionId: string,
  item: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('connection_consents')
    .set({ withdrawn_at: now })
    .where('connection_id', '=', connectionId)
    .where('item', '=', item)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** How many apps the account is linked to now. */
export async function countLiveConnections(db: Executor, accountId: string): Promise<number> {
  const rows = await db
    .selectFrom('connections')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', '=', 'linked')
    .execute();
  return rows.length;
}
