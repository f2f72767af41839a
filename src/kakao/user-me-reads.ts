/**
 * The reads behind the Kakao user APIs' hottest route, `/v2/user/me`: after the
 * token, two statements, each built and compiled once per database (src/oidc/precompiled.ts).
 * On SQLite every statement pays for its own read lock, so the number of statements is what counts.
 *
 * 1. The Bearer caller's connection: the live link of the token's account at the app whose live
 *    REST API key is the token's client id. Read on every request, so an unlink or a revoked key
 *    stops the token at once.
 * 2. What the connection shows: the account, one row per consent item the app offers (with the
 *    live agreement, if any) and one per custom property. Live consents are the truth
 *    (never the token's scopes alone), so that statement is the connections domain's
 *    (src/modules/connections/consent-reads.ts `loadConnectionView`).
 * (One statement for both was measured too: SQLite then spends more compiling its SQL on every
 * request than the second statement costs, unless prepared statements are cached.)
 */
import { sql } from 'kysely';
import type { Executor } from '../modules/apps/apps.repo.ts';
import { CLIENT_KEY_KINDS } from '../modules/apps/apps.types.ts';
import type { Connection } from '../modules/connections/connections.repo.ts';
import { precompiled } from '../oidc/precompiled.ts';
import type { UserMeInput } from './user-me.ts';

export type UserMeView = Pick<UserMeInput, 'account' | 'offered' | 'agreed'> & {
  properties: Record<string, string>;
};

const bearerConnection = precompiled(['restApiKey', 'accountId'], (db, arg) =>
  db
    .selectFrom('app_keys as k')
    .innerJoin('connections as c', 'c.app_id', 'k.app_id')
    .selectAll('c')
    .where('k.key', '=', arg.restApiKey)
    .where('k.kind', 'in', [...CLIENT_KEY_KINDS])
    .where('k.revoked_at', 'is', null)
    .where('c.account_id', '=', arg.accountId)
    // a literal, so SQLite uses the partial unique index connections_one_live_link
    .where('c.status', '=', sql.lit('linked')),
);

/**
 * The live connection of `accountId` at the app whose live client key is `restApiKey` (an access
 * token's client id: the REST API, JavaScript or native key), in one indexed join (app_keys.app_id references apps, so the app exists).
 */
export async function findBearerConnection(
  db: Executor,
  restApiKey: string,
  accountId: string,
): Promise<Connection | undefined> {
  return (await bearerConnection(db, { restApiKey, accountId })).rows[0];
}

/** The account beside its offered items and properties; `on true` keeps it when there are neither. */
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
