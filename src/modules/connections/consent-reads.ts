/**
 * The statements that read one person's consent state at one app (consent-state.ts). Each caller
 * reads no more than it needs, and each read builds its answer with `consentStateOf`:
 * - `loadConsentState`: the app's items with purposes, the live link and its consent rows (the
 *   consent page, the authorization request, /v2/user/scopes);
 * - `liveAgreedItems`: only the live agreed items, in one statement (introspection, and a token
 *   answer whose request did not read them with the account: src/oidc/find-account.ts);
 * - `loadConnectionView`: what /v2/user/me shows of a connection (account, offered items with the
 *   live agreement, custom properties) in one statement, for admin-key callers; a Bearer caller
 *   reads the same rows with its token (`connectionViewOf`, src/kakao/user-me-reads.ts).
 * On SQLite every statement pays for its own read lock, so the hot paths' statements are
 * precompiled once per database (src/oidc/precompiled.ts) and never added to.
 */
import { sql } from 'kysely';
import type { Account } from '../../db/database.ts';
import { precompiled } from '../../oidc/precompiled.ts';
import { listConsentItems } from '../apps/apps.repo.ts';
import type { ConsentMode } from '../apps/apps.types.ts';
import { allConsents, type Connection, type Executor, findLiveConnection } from './connections.repo.ts';
import { type ConsentState, consentStateOf } from './consent-state.ts';

/** Three statements: the app's items, the live link, the link's consent rows (withdrawn too). */
export async function loadConsentState(
  db: Executor,
  appId: number,
  accountId: string | undefined,
): Promise<ConsentState> {
  const items = await listConsentItems(db, appId);
  const live = accountId ? await findLiveConnection(db, appId, accountId) : undefined;
  const consents = live ? await allConsents(db, [live.id]) : undefined;
  return consentStateOf({ items, consents });
}

const liveAgreed = precompiled(['appId', 'accountId'], (db, p) =>
  db
    .selectFrom('connections as c')
    .innerJoin('connection_consents as cc', 'cc.connection_id', 'c.id')
    .select('cc.item')
    .where('c.app_id', '=', p.appId)
    .where('c.account_id', '=', p.accountId)
    // a literal, so SQLite uses the partial unique index connections_one_live_link
    .where('c.status', '=', sql.lit('linked'))
    .where('cc.withdrawn_at', 'is', null),
);

/** The items one account agreed to at one app, live, in one statement; empty when not linked. */
export async function liveAgreedItems(db: Executor, appId: number, accountId: string): Promise<Set<string>> {
  return new Set((await liveAgreed(db, { appId, accountId })).rows.map((r) => r.item));
}

export type ProfileFields =
  | 'email'
  | 'email_verified_at'
  | 'nickname'
  | 'profile_image_url'
  | 'name'
  | 'gender'
  | 'birthday'
  | 'birthyear'
  | 'age_range'
  | 'phone_number';

export interface ConnectionView {
  account: Pick<Account, ProfileFields>;
  /** the offered items only, so `agreed` holds only offered items */
  consent: ConsentState;
  /** the app's own properties, sorted by key (code points, the same on both databases) */
  properties: Record<string, string>;
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
      'acc.email_verified_at',
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

/** What /v2/user/me shows of one live connection, in one statement. @returns undefined when the account is gone */
export async function loadConnectionView(
  db: Executor,
  connection: Connection,
): Promise<ConnectionView | undefined> {
  const { rows } = await accountWithItemsAndProperties(db, {
    accountId: connection.account_id,
    appId: connection.app_id,
    connectionId: connection.id,
  });
  return connectionViewOf(rows);
}

/** One row per offered item or property, each beside the account (the statement above's shape). */
export type ConnectionViewRow = Pick<Account, ProfileFields> & {
  kind: 'item' | 'property' | null;
  x_name: string | null;
  value: string | null;
  agreed: string | null;
};

/** The view from rows shaped as the statement above returns them (also src/kakao/user-me-reads.ts). */
export function connectionViewOf(rows: ConnectionViewRow[]): ConnectionView | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const items: Array<{ item: string; mode: ConsentMode }> = [];
  const consents: Array<{ item: string; withdrawn_at: null }> = [];
  const properties: Array<[string, string]> = [];
  for (const row of rows) {
    if (row.kind === 'property') properties.push([row.x_name as string, row.value as string]);
    else if (row.kind === 'item') {
      items.push({ item: row.x_name as string, mode: row.value as ConsentMode });
      if (row.agreed !== null) consents.push({ item: row.x_name as string, withdrawn_at: null });
    }
  }
  properties.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const { kind: _kind, x_name: _name, value: _value, agreed: _agreed, ...account } = first;
  return {
    account,
    consent: consentStateOf({ items, consents }),
    properties: Object.fromEntries(properties),
  };
}
