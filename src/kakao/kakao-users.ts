/**
 * What the Kakao user APIs read and write about one app user (Kakao REST API "Retrieve user
 * information", "Retrieve consent details" and the admin-key APIs), straight from the connections
 * tables: every answer is computed from the LIVE consents, never from the token's scopes alone, so
 * a withdrawal or an unlink shows at once. No Fastify; takes `db | trx`.
 */
import type { Account } from '../db/database.ts';
import { type Executor, listConsentItems } from '../modules/apps/apps.repo.ts';
import type { ConsentMode } from '../modules/connections/connections.ports.ts';
import { allConsents, type Connection } from '../modules/connections/connections.repo.ts';

export interface UserView {
  account: Account;
  modes: Record<string, ConsentMode>;
  /** items offered by the app (mode not 'off') */
  offered: Set<string>;
  /** agreed and not withdrawn */
  agreed: Set<string>;
  /** agreed at some time on this connection, withdrawn or not */
  everAgreed: Set<string>;
  properties: Record<string, string>;
}

/** @returns undefined when the account is gone (its connections go with it) */
export async function loadUserView(db: Executor, connection: Connection): Promise<UserView | undefined> {
  const account = await db
    .selectFrom('accounts')
    .selectAll()
    .where('id', '=', connection.account_id)
    .executeTakeFirst();
  if (!account) return undefined;
  const modes: Record<string, ConsentMode> = {};
  for (const item of await listConsentItems(db, connection.app_id)) modes[item.item] = item.mode;
  const consents = await allConsents(db, [connection.id]);
  return {
    account,
    modes,
    offered: new Set(Object.keys(modes).filter((i) => modes[i] !== 'off')),
    agreed: new Set(consents.filter((c) => c.withdrawn_at === null).map((c) => c.item)),
    everAgreed: new Set(consents.map((c) => c.item)),
    properties: await getProperties(db, connection.id),
  };
}

// ---- custom properties (POST /v1/user/update_profile, §3.2) --------------------------------------

export async function getProperties(db: Executor, connectionId: string): Promise<Record<string, string>> {
  const rows = await db
    .selectFrom('connection_properties')
    .select(['key', 'value'])
    .where('connection_id', '=', connectionId)
    .orderBy('key')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

export async function countProperties(db: Executor, connectionId: string): Promise<number> {
  const row = await db
    .selectFrom('connection_properties')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('connection_id', '=', connectionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Sets each key (insert or replace); a null value deletes the key. */
export async function setProperties(
  db: Executor,
  connectionId: string,
  changes: Record<string, string | null>,
  now: number,
): Promise<void> {
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) {
      await db
        .deleteFrom('connection_properties')
        .where('connection_id', '=', connectionId)
        .where('key', '=', key)
        .execute();
      continue;
    }
    await db
      .insertInto('connection_properties')
      .values({ connection_id: connectionId, key, value, updated_at: now })
      .onConflict((oc) => oc.columns(['connection_id', 'key']).doUpdateSet({ value, updated_at: now }))
      .execute();
  }
}

// ---- admin-key listings (§6) ---------------------------------------------------------------------

export interface IdsPage {
  elements: number[];
  /** some linked id is smaller than the page's smallest */
  hasBefore: boolean;
  /** some linked id is larger than the page's largest */
  hasAfter: boolean;
}

/** A page of the app's linked app user ids from `fromId` (inclusive), in `order`. */
export async function listLinkedUserIds(
  db: Executor,
  appId: number,
  query: { fromId?: number; order: 'asc' | 'desc'; limit: number },
): Promise<IdsPage> {
  const linked = db
    .selectFrom('connections')
    .select('app_user_id')
    .where('app_id', '=', appId)
    .where('status', '=', 'linked');
  let page = linked.orderBy('app_user_id', query.order).limit(query.limit);
  if (query.fromId !== undefined)
    page = page.where('app_user_id', query.order === 'asc' ? '>=' : '<=', query.fromId);
  const elements = (await page.execute()).map((r) => Number(r.app_user_id));
  if (elements.length === 0) return { elements, hasBefore: false, hasAfter: false };
  const min = Math.min(...elements);
  const max = Math.max(...elements);
  const before = await linked.where('app_user_id', '<', min).limit(1).executeTakeFirst();
  const after = await linked.where('app_user_id', '>', max).limit(1).executeTakeFirst();
  return { elements, hasBefore: !!before, hasAfter: !!after };
}

/** The live connections among `appUserIds`, in the order asked. */
export async function findLiveConnections(
  db: Executor,
  appId: number,
  appUserIds: number[],
): Promise<Connection[]> {
  if (appUserIds.length === 0) return [];
  const rows = await db
    .selectFrom('connections')
    .selectAll()
    .where('app_id', '=', appId)
    .where('status', '=', 'linked')
    .where('app_user_id', 'in', appUserIds)
    .execute();
  const byId = new Map(rows.map((r) => [Number(r.app_user_id), r]));
  return [...new Set(appUserIds)].flatMap((id) => byId.get(id) ?? []);
}
