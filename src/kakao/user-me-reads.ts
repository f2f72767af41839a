/**
 * The reads behind `/v2/user/me`, the hottest route (issue #8 §3): the caller's connection and
 * what it shows, in ONE statement, built and compiled once per database (src/oidc/precompiled.ts).
 * On SQLite each statement pays for its own read lock, so the number of statements is what counts.
 *
 * The statement's `caller` CTE is the connection asked about:
 * - for a Bearer token, the live connection of the token's account at the app whose live REST API
 *   key is the token's client id. It is read on every request, so an unlink or a revoked key stops
 *   the token at once (issue #4 §8): no row = the token is not (or no longer) good for this app;
 * - for an admin key or /v2/app/users, the connection already found by app user id.
 * Then one row per consent item the app offers (with the live agreement, if any) and per custom
 * property of this user, each beside the connection and the account (`on true` keeps one row when
 * there are neither). Live consents are the truth (issue #4 "never from token scopes alone").
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Executor } from '../modules/apps/apps.repo.ts';
import type { Connection } from '../modules/connections/connections.repo.ts';
import { precompiled } from '../oidc/precompiled.ts';
import type { UserMeInput } from './user-me.ts';

export type UserMeView = Pick<UserMeInput, 'account' | 'offered' | 'agreed'> & {
  properties: Record<string, string>;
};

/** Which connection `caller` is; `arg` holds the statement's parameters. */
type CallerWhere = (
  eb: ExpressionBuilder<Database, 'connections'>,
  arg: Record<string, string>,
) => Expression<SqlBool>;

const bearerCaller: CallerWhere = (eb, arg) =>
  eb.and([
    eb(
      'connections.app_id',
      '=',
      eb
        .selectFrom('app_keys')
        .select('app_keys.app_id')
        .where('app_keys.key', '=', arg.restApiKey as string)
        .where('app_keys.kind', '=', 'rest_api')
        .where('app_keys.revoked_at', 'is', null),
    ),
    eb('connections.account_id', '=', arg.accountId as string),
    // a literal, so SQLite uses the partial unique index connections_one_live_link
    eb('connections.status', '=', sql.lit('linked')),
  ]);

const connectionCaller: CallerWhere = (eb, arg) => eb('connections.id', '=', arg.connectionId as string);

function userMeStatement<K extends string>(names: readonly K[], callerWhere: CallerWhere) {
  return precompiled(names, (db, arg) =>
    db
      .with('caller', (q) =>
        q
          .selectFrom('connections')
          .selectAll()
          .where((eb) => callerWhere(eb, arg)),
      )
      .selectFrom('caller as c')
      .innerJoin('accounts as acc', 'acc.id', 'c.account_id')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('caller as ci')
            .innerJoin('app_consent_items as i', (join) =>
              join.onRef('i.app_id', '=', 'ci.app_id').on('i.mode', '<>', sql.lit('off')),
            )
            .leftJoin('connection_consents as cc', (join) =>
              join
                .onRef('cc.connection_id', '=', 'ci.id')
                .onRef('cc.item', '=', 'i.item')
                .on('cc.withdrawn_at', 'is', null),
            )
            .select([
              sql<'item' | 'property'>`'item'`.as('kind'),
              'i.item as name',
              'i.mode as value',
              'cc.item as agreed',
            ])
            .unionAll(
              eb
                .selectFrom('caller as cp')
                .innerJoin('connection_properties as p', 'p.connection_id', 'cp.id')
                .select([
                  sql<'item' | 'property'>`'property'`.as('kind'),
                  'p.key as name',
                  'p.value as value',
                  sql<string | null>`null`.as('agreed'),
                ]),
            )
            .as('x'),
        (join) => join.onTrue(),
      )
      .selectAll('c')
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
      ]),
  );
}

const bearerUserMe = userMeStatement(['restApiKey', 'accountId'], bearerCaller);
const bearerConnection = precompiled(['restApiKey', 'accountId'], (db, arg) =>
  db
    .selectFrom('connections')
    .selectAll()
    .where((eb) => bearerCaller(eb, arg)),
);
const connectionUserMe = userMeStatement(['connectionId'], connectionCaller);

type Row = Awaited<ReturnType<typeof bearerUserMe>>['rows'][number];

/** Rows → the connection and its view. Properties sorted by key (code points, on both databases). */
function toUserMe(rows: Row[]): { connection: Connection; view: UserMeView } | undefined {
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
  const r = first;
  const connection: Connection = {
    id: r.id,
    app_id: r.app_id,
    account_id: r.account_id,
    app_user_id: r.app_user_id,
    status: r.status,
    connected_at: r.connected_at,
    unlinked_at: r.unlinked_at,
    unlinked_by: r.unlinked_by,
    notification_id: r.notification_id,
  };
  const account: UserMeView['account'] = {
    email: r.email,
    nickname: r.nickname,
    profile_image_url: r.profile_image_url,
    name: r.name,
    gender: r.gender,
    birthday: r.birthday,
    birthyear: r.birthyear,
    age_range: r.age_range,
    phone_number: r.phone_number,
  };
  return { connection, view: { account, offered, agreed, properties: Object.fromEntries(properties) } };
}

/**
 * A Bearer caller of /v2/user/me: the live link of `accountId` at the app whose live REST API key
 * is `restApiKey` (the access token's client id), and what it shows. undefined = no such live link.
 */
export async function loadBearerUserMe(db: Executor, restApiKey: string, accountId: string) {
  return toUserMe((await bearerUserMe(db, { restApiKey, accountId })).rows);
}

/** The Bearer caller of any other user API: the same live link, without the view. */
export async function findBearerConnection(db: Executor, restApiKey: string, accountId: string) {
  const connection = (await bearerConnection(db, { restApiKey, accountId })).rows[0];
  return connection && { connection, view: undefined };
}

/**
 * What /v2/user/me shows of a connection found otherwise (admin key, /v2/app/users). `agreed`
 * holds only items the app offers: buildUserMe never looks at any other.
 * @returns undefined when the connection or its account is gone
 */
export async function loadUserMeView(db: Executor, connection: Connection): Promise<UserMeView | undefined> {
  return toUserMe((await connectionUserMe(db, { connectionId: connection.id })).rows)?.view;
}
