/**
 * What the Kakao user APIs read and write about one app user (kakao-login-api.md §3–§4, §6),
 * straight from the connections tables: live consents are the truth for every answer (issue #4
 * "computed from LIVE consents, never from token scopes alone"). No Fastify; takes `db | trx`.
 */
import { sql } from 'kysely';
import type { Account } from '../db/database.ts';
import { type Executor, listConsentItems } from '../modules/apps/apps.repo.ts';
import type { ConsentMode } from '../modules/connections/connections.ports.ts';
import { allConsents, type Connection } from '../modules/connections/connections.repo.ts';
import { precompiled } from '../oidc/precompiled.ts';
import type { UserMeInput } from './user-me.ts';

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

// ---- the Bearer hot path (GET /v2/user/me, issue #8 §3): few statements, each compiled once ----

const bearerConnection = precompiled(['restApiKey', 'accountId'], (db, arg) =>
  db
    .selectFrom('app_keys as k')
    .innerJoin('connections as c', 'c.app_id', 'k.app_id')
    .selectAll('c')
    .where('k.key', '=', arg.restApiKey)
    .where('k.kind', '=', 'rest_api')
    .where('k.revoked_at', 'is', null)
    .where('c.account_id', '=', arg.accountId)
    // a literal, so SQLite picks the partial unique index connections_one_live_link
    .where('c.status', '=', sql.lit('linked')),
);

/**
 * The live connection of `accountId` at the app whose live REST API key is `restApiKey` (an access
 * token's client id): one indexed join, read on every request, so an unlink or a revoked key stops
 * the token at once (issue #4 §8). (app_keys.app_id references apps, so the app exists.)
 */
export async function findBearerConnection(
  db: Executor,
  restApiKey: string,
  accountId: string,
): Promise<Connection | undefined> {
  return (await bearerConnection(db, { restApiKey, accountId })).rows[0];
}

/**
 * The account with, one row each, the consent items the app offers (mode not 'off', with the live
 * agreement on this connection, if any) and the app's custom properties of this user: everything /v2/user/me shows,
 * in one statement (issue #8 §3). `on true` keeps the account row when there are neither.
 */
const accountWithItemsAndProperties = precompiled(['accountId', 'appId', 'connectionId'], (db, arg) => {
  const items = db
    .selectFrom('app_consent_items as i')
    .leftJoin('connection_consents as cc', (join) =>
      join
        .onRef('cc.item', '=', 'i.item')
        .on('cc.connection_id', '=', arg.connectionId)
        .on('cc.withdrawn_at', 'is', null),
    )
    .select([
      sql<'item' | 'property'>`'item'`.as('kind'),
      'i.item as name',
      'i.mode as value',
      'cc.item as agreed',
    ])
    .where('i.app_id', '=', arg.appId)
    .where('i.mode', '<>', sql.lit('off'));
  const properties = db
    .selectFrom('connection_properties as p')
    .select([
      sql<'item' | 'property'>`'property'`.as('kind'),
      'p.key as name',
      'p.value as value',
      sql<string | null>`null`.as('agreed'),
    ])
    .where('p.connection_id', '=', arg.connectionId);
  return db
    .selectFrom('accounts as acc')
    .leftJoin(items.unionAll(properties).as('x'), (join) => join.onTrue())
    .select([
      'acc.email',
      'acc.nickname',
      'acc.profile_image_url',
      'acc.name',
      'acc.gender',
      'acc.birthday',
      'acc.birthyear',
      'acc.age_range',
      'acc.phone_number',
      'x.kind',
      'x.name as x_name',
      'x.value',
      'x.agreed',
    ])
    .where('acc.id', '=', arg.accountId);
});

export type UserMeView = Pick<UserMeInput, 'account' | 'offered' | 'agreed'> & {
  properties: Record<string, string>;
};

/**
 * What /v2/user/me shows of one connection. `agreed` holds only items the app offers: buildUserMe
 * never looks at any other. Properties come sorted by key (code points, the same on both
 * databases). @returns undefined when the account is gone
 */
export async function loadUserMeView(db: Executor, connection: Connection): Promise<UserMeView | undefined> {
  const { rows } = await accountWithItemsAndProperties(db, {
    accountId: connection.account_id,
    appId: connection.app_id,
    connectionId: connection.id,
  });
  const first = rows[0];
  if (!first) return undefined;
  const offered = new Set<string>();
  const agreed = new Set<string>();
  const properties: Array<[string, string]> = [];
  for (const row of rows) {
    if (row.kind === 'property') properties.push([row.x_name as string, row.value as string]);
    else if (row.kind === 'item') {
      offered.add(row.x_name as string);
      if (row.agreed !== null) agreed.add(row.x_name as string);
    }
  }
  properties.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const { kind: _kind, x_name: _name, value: _value, agreed: _agreed, ...account } = first;
  return { account, offered, agreed, properties: Object.fromEntries(properties) };
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
