/**
 * The Kakao user APIs' own tables and listings (Kakao REST API "Store user information" and the
 * admin-key APIs), for kakao-users.service.ts. What a user agreed to is not read here: every answer
 * takes the LIVE consents from the connections domain (src/modules/connections/consent-reads.ts),
 * never the token's scopes. No Fastify; takes `db | trx`.
 */
import type { Executor } from '../modules/apps/apps.repo.ts';
import type { Connection } from '../modules/connections/connections.repo.ts';

// ---- custom properties (POST /v1/user/update_profile, §3.2) --------------------------------------

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
