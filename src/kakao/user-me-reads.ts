/**
 * The read behind every Kakao user API called with a Bearer access token (`/v2/user/me`,
 * `/v1/user/*`): ONE statement, precompiled once per database (src/oidc/precompiled.ts), that
 * resolves the token, the app, the person's live link and what the link shows. On PostgreSQL each
 * statement is a round trip and on SQLite each takes its own read lock, so the count is what costs
 * (bench/README.md, part 3). Every part is read live on every request, nothing is cached:
 * - the access token's row, unexpired (the adapter's `find` rule, kysely-adapter.ts), so a logout,
 *   an unlink or a withdrawal that deleted it stops it at once;
 * - the app whose live client key (REST API, JavaScript or native; not revoked, overlap not ended)
 *   is the token's client id, so a stopped key stops its tokens at once;
 * - the live link of the token's account at that app, and the account;
 * - one row per consent item the app offers now (with the live agreement, if any) and one per
 *   custom property: the shape of consent-reads.ts `loadConnectionView`, so an app's setting
 *   change is seen on the next request. Live consents are the truth, never the token's scopes.
 * No row at all means the token does not stand; `caller` has at most one row (the token's primary
 * key, a key's unique value, the partial unique index of one live link per app and person).
 * A single statement with JSON sub-selects would need SQL per dialect (docs/decisions/0004); a
 * CTE and UNION ALL is the same SQL on both databases.
 */
import { sql } from 'kysely';
import { keyNow } from '../modules/apps/app-key-clock.ts';
import type { Executor } from '../modules/apps/apps.repo.ts';
import { CLIENT_KEY_KINDS } from '../modules/apps/apps.types.ts';
import type { Connection } from '../modules/connections/connections.repo.ts';
import { type ConnectionView, connectionViewOf } from '../modules/connections/consent-reads.ts';
import { storedKey } from '../oidc/payload-at-rest.ts';
import { precompiled } from '../oidc/precompiled.ts';

const bearerRead = precompiled(['tokenKey', 'now'], (db, p) =>
  db
    .with('caller', (qc) =>
      qc
        .selectFrom('oidc_payloads as t')
        .innerJoin('app_keys as k', 'k.key', 't.client_id')
        .innerJoin('connections as c', (join) =>
          join.onRef('c.app_id', '=', 'k.app_id').onRef('c.account_id', '=', 't.account_id'),
        )
        .innerJoin('accounts as acc', 'acc.id', 'c.account_id')
        .select([
          't.payload as token_payload',
          't.consumed_at as token_consumed_at',
          'c.id as c_id',
          'c.app_id as c_app_id',
          'c.account_id as c_account_id',
          'c.app_user_id as c_app_user_id',
          'c.status as c_status',
          'c.connected_at as c_connected_at',
          'c.unlinked_at as c_unlinked_at',
          'c.unlinked_by as c_unlinked_by',
          'c.notification_id as c_notification_id',
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
        ])
        // literals, so both databases use the (model, id) key and the partial unique index
        // connections_one_live_link
        .where('t.model', '=', sql.lit('AccessToken'))
        .where('t.id', '=', p.tokenKey)
        .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', p.now)]))
        .where('k.kind', 'in', [...CLIENT_KEY_KINDS])
        .where('k.revoked_at', 'is', null)
        .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', p.now)]))
        .where('c.status', '=', sql.lit('linked')),
    )
    .with('x', (qc) =>
      qc
        .selectFrom('caller')
        .innerJoin('app_consent_items as i', 'i.app_id', 'caller.c_app_id')
        .leftJoin('connection_consents as cc', (join) =>
          join
            .onRef('cc.connection_id', '=', 'caller.c_id')
            .onRef('cc.item', '=', 'i.item')
            .on('cc.withdrawn_at', 'is', null),
        )
        .select([
          sql<'item' | 'property'>`'item'`.as('kind'),
          'i.item as x_name',
          'i.mode as value',
          'cc.item as agreed',
        ])
        .where('i.mode', '<>', sql.lit('off'))
        .unionAll((eb) =>
          eb
            .selectFrom('caller')
            .innerJoin('connection_properties as pr', 'pr.connection_id', 'caller.c_id')
            .select([
              sql<'item' | 'property'>`'property'`.as('kind'),
              'pr.key as x_name',
              'pr.value as value',
              sql<string | null>`null`.as('agreed'),
            ]),
        ),
    )
    .selectFrom('caller')
    .leftJoin('x', (join) => join.onTrue())
    .selectAll('caller')
    .select(['x.kind', 'x.x_name', 'x.value', 'x.agreed']),
);

export interface BearerRead {
  /** the access token's stored payload (JSON text), for oidc-provider to verify */
  tokenPayload: string;
  tokenConsumedAt: number | null;
  connection: Connection;
  view: ConnectionView;
}

type Row = Awaited<ReturnType<typeof bearerRead>>['rows'][number];

function connectionOf(row: Row): Connection {
  return {
    id: row.c_id,
    app_id: row.c_app_id,
    account_id: row.c_account_id,
    app_user_id: row.c_app_user_id,
    status: row.c_status,
    connected_at: row.c_connected_at,
    unlinked_at: row.c_unlinked_at,
    unlinked_by: row.c_unlinked_by,
    notification_id: row.c_notification_id,
  };
}

/** The access token `value`, its app's live link and what the link shows; undefined when any is not live. */
export async function readBearer(db: Executor, value: string): Promise<BearerRead | undefined> {
  const { rows } = await bearerRead(db as Parameters<typeof bearerRead>[0], {
    tokenKey: storedKey(value),
    now: keyNow(db),
  });
  const first = rows[0];
  if (!first) return undefined;
  const view = connectionViewOf(
    rows.map((r) => ({
      email: r.email,
      email_verified_at: r.email_verified_at,
      nickname: r.nickname,
      profile_image_url: r.profile_image_url,
      name: r.name,
      gender: r.gender,
      birthday: r.birthday,
      birthyear: r.birthyear,
      age_range: r.age_range,
      phone_number: r.phone_number,
      kind: r.kind,
      x_name: r.x_name,
      value: r.value,
      agreed: r.agreed,
    })),
  );
  if (!view) return undefined;
  return {
    tokenPayload: first.token_payload,
    tokenConsumedAt: first.token_consumed_at,
    connection: connectionOf(first),
    view,
  };
}
