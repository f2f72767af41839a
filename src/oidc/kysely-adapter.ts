/**
 * The oidc-provider storage adapter over Kysely, for every model oidc-provider
 * persists, in one table `oidc_payloads` keyed by (model, id). Same SQL on SQLite and PostgreSQL.
 * Token values are stored only as hashes (payload-at-rest.ts): every id, uid, user code and grant
 * id given to or taken by these functions is the value itself, and is hashed here.
 *
 * Contract (oidc-provider example/my_adapter.js, lib/adapters/memory_adapter.js):
 * - `upsert(id, payload, expiresIn)` stores or replaces; `expiresIn` is in seconds, absent = no expiry.
 * - `find`, `findByUid` (Session), `findByUserCode` (DeviceCode) never return an expired row.
 * - `consume(id)` marks the row consumed; later finds carry `consumed` (epoch seconds).
 * - `destroy(id)` deletes; `revokeByGrantId(grantId)` deletes every grant-bound row of that grant,
 *   whatever its model (as the memory adapter does).
 *
 * Beyond the contract: oidc-provider reads `consumed` and then calls `consume()`
 * (lib/helpers/grant_source.js, lib/actions/grants/refresh_token.js), so two racing requests could
 * both pass the read. Our `consume` is a conditional UPDATE, and the loser is refused like a replay:
 * the grant and everything issued from it are revoked (RFC 6749 §4.1.2, §10.5; RFC 9700 §4.14.2)
 * and an OAuth error is thrown. So an authorization code or a rotated refresh token is redeemed once.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import Provider, { errors } from 'oidc-provider';
import type { Db } from '../db/create-db.ts';
import { type Clock, systemClock } from '../lib/clock.ts';
import { payloadFromStored, storedKey, storedPayloadText } from './payload-at-rest.ts';
import { precompiled } from './precompiled.ts';
import { takeRowInHand } from './rows-in-hand.ts';
import { scopedDb } from './token-transaction.ts';

/** Models whose rows carry a grant id (lib/adapters/memory_adapter.js `grantable`). */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

export interface KyselyAdapterOptions {
  clock?: Clock;
  /**
   * Where `Client` metadata comes from. oidc-provider asks the adapter for any client that is not
   * static; the apps registry answers here, and changes apply at once because oidc-provider caches
   * clients by a hash of their metadata (lib/models/client.js `find`).
   */
  findClient?: (clientId: string) => Promise<AdapterPayload | undefined>;
}

type DbOrTrx = Pick<Db, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

function epochMs(consumed: unknown, now: number): number {
  // oidc-provider writes epoch seconds (lib/adapters/memory_adapter.js); anything else truthy = now
  return typeof consumed === 'number' ? consumed * 1000 : now;
}

function toPayload(
  model: string,
  id: string | undefined,
  row: { payload: string; consumed_at: number | null },
): AdapterPayload {
  const payload = payloadFromStored(model, id, row.payload);
  if (row.consumed_at !== null) payload.consumed = Math.floor(row.consumed_at / 1000);
  return payload;
}

/** Deletes a grant and every token, code and request issued under it (by the grant's stored key). */
async function revokeGrant(db: DbOrTrx, grantKey: string): Promise<void> {
  await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantKey).execute();
  await db.deleteFrom('oidc_payloads').where('model', '=', 'Grant').where('id', '=', grantKey).execute();
}

/** The error a lost `consume` race answers with: the same one oidc-provider gives a replay. */
function alreadyConsumed(model: string): Error {
  if (model === 'PushedAuthorizationRequest') {
    return new errors.InvalidRequestUri('request_uri is invalid, expired, or was already used');
  }
  return new errors.InvalidGrant(`${model} already consumed`);
}

/** The columns `find*` read; never an expired row (expires_at in ms, null = no expiry). */
const liveBy = <C extends 'id' | 'uid' | 'user_code'>(column: C) =>
  precompiled(['model', 'now', 'key'], (db, p) =>
    db
      .selectFrom('oidc_payloads')
      .select(['payload', 'consumed_at'])
      .where('model', '=', p.model)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', p.now)]))
      .where(column, '=', p.key),
  );
const findLiveById = liveBy('id');
const findLiveByUid = liveBy('uid');
const findLiveByUserCode = liveBy('user_code');

/**
 * A live refresh token, authorization code or access token and, in the same read, its live Grant
 * (null columns when there is none): the token endpoint's two grants and userinfo read both.
 */
const TOKENS_READ_WITH_GRANT = new Set(['RefreshToken', 'AuthorizationCode', 'AccessToken']);
const findTokenWithGrant = precompiled(['now', 'model', 'id'], (db, p) =>
  db
    .selectFrom('oidc_payloads as t')
    .leftJoin('oidc_payloads as g', (join) =>
      join
        .on('g.model', '=', 'Grant')
        .onRef('g.id', '=', 't.grant_id')
        .on((eb) => eb.or([eb('g.expires_at', 'is', null), eb('g.expires_at', '>', p.now)])),
    )
    .select([
      't.payload',
      't.consumed_at',
      'g.payload as grant_payload',
      'g.consumed_at as grant_consumed_at',
    ])
    .where('t.model', '=', p.model)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', p.now)]))
    .where('t.id', '=', p.id),
);

/**
 * The Grant read together with a refresh token, an authorization code or an access token, for the
 * `Grant.find` oidc-provider makes right after it in the same request (lib/actions/grants/refresh_token.js:
 * `RefreshToken.find`, then `validateGrant`; lib/actions/grants/authorization_code.js:
 * `AuthorizationCode.find`, then `Grant.find`; lib/actions/userinfo.js: `AccessToken.find`, then
 * `loadAccessTokenGrant`): one database round trip fewer per grant and per userinfo. Keyed by
 * oidc-provider's request context (`Provider.ctx`, its AsyncLocalStorage), taken at most once, and
 * dropped by any write the adapter makes in that request, so it never outlives the request that
 * read it and never answers for a grant this request changed. Outside a request: no memo.
 */
const grantReadWithRefreshToken = new WeakMap<
  object,
  { grantId: string; payload: AdapterPayload | undefined }
>();

function forgetGrantRead(): void {
  const ctx = Provider.ctx;
  if (ctx) grantReadWithRefreshToken.delete(ctx);
}

function takeGrantRead(grantId: string): { payload: AdapterPayload | undefined } | undefined {
  const ctx = Provider.ctx;
  const read = ctx && grantReadWithRefreshToken.get(ctx);
  if (!read || read.grantId !== grantId) return undefined;
  grantReadWithRefreshToken.delete(ctx);
  return read;
}

const upsertPayload = precompiled(
  [
    'model',
    'id',
    'payload',
    'grant_id',
    'user_code',
    'uid',
    'account_id',
    'client_id',
    'expires_at',
    'consumed_at',
  ],
  (db, p) =>
    db
      .insertInto('oidc_payloads')
      .values({
        model: p.model,
        id: p.id,
        payload: p.payload,
        grant_id: p.grant_id,
        user_code: p.user_code,
        uid: p.uid,
        account_id: p.account_id,
        client_id: p.client_id,
        expires_at: p.expires_at,
        consumed_at: p.consumed_at,
      })
      .onConflict((oc) =>
        oc.columns(['model', 'id']).doUpdateSet((eb) => ({
          payload: eb.ref('excluded.payload'),
          grant_id: eb.ref('excluded.grant_id'),
          user_code: eb.ref('excluded.user_code'),
          uid: eb.ref('excluded.uid'),
          account_id: eb.ref('excluded.account_id'),
          client_id: eb.ref('excluded.client_id'),
          expires_at: eb.ref('excluded.expires_at'),
          // a stale copy saved again must never un-consume a code or token
          consumed_at: eb.fn.coalesce('oidc_payloads.consumed_at', 'excluded.consumed_at'),
        })),
      ),
);

const consumeLive = precompiled(['now', 'model', 'id'], (db, p) =>
  db
    .updateTable('oidc_payloads')
    .set({ consumed_at: p.now })
    .where('model', '=', p.model)
    .where('id', '=', p.id)
    .where('consumed_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', p.now)])),
);

const destroyPayload = precompiled(['model', 'id'], (db, p) =>
  db.deleteFrom('oidc_payloads').where('model', '=', p.model).where('id', '=', p.id),
);

const deleteByGrantId = precompiled(['grantKey'], (db, p) =>
  db.deleteFrom('oidc_payloads').where('grant_id', '=', p.grantKey),
);

/**
 * `createKyselyAdapter(db)` → the adapter factory oidc-provider accepts as `adapter`
 * (it calls it once per model name). The queries are precompiled (precompiled.ts): this is the
 * hot path of every token request.
 */
export function createKyselyAdapter(db: Db, options: KyselyAdapterOptions = {}): (model: string) => Adapter {
  const clock = options.clock ?? systemClock;

  return function kyselyAdapter(model: string): Adapter {
    const grantable = GRANTABLE.has(model);
    const first = async (
      query: typeof findLiveById,
      value: string,
      id: string | undefined,
    ): Promise<AdapterPayload | undefined> => {
      const { rows } = await query(scopedDb(db), { model, now: clock.now(), key: storedKey(value) });
      return rows[0] ? toPayload(model, id, rows[0]) : undefined;
    };

    return {
      async upsert(id, payload, expiresIn) {
        forgetGrantRead();
        const now = clock.now();
        const { consumed } = payload;
        await upsertPayload(scopedDb(db), {
          model,
          id: storedKey(id),
          payload: storedPayloadText(model, id, payload),
          grant_id: grantable && typeof payload.grantId === 'string' ? storedKey(payload.grantId) : null,
          user_code: typeof payload.userCode === 'string' ? storedKey(payload.userCode) : null,
          uid: typeof payload.uid === 'string' ? storedKey(payload.uid) : null,
          account_id: typeof payload.accountId === 'string' ? payload.accountId : null,
          client_id: typeof payload.clientId === 'string' ? payload.clientId : null,
          expires_at: typeof expiresIn === 'number' ? now + expiresIn * 1000 : null,
          consumed_at: consumed ? epochMs(consumed, now) : null,
        });
      },

      async find(id) {
        if (model === 'Client' && options.findClient) return options.findClient(id);
        const inHand = takeRowInHand(model, id);
        if (inHand) return toPayload(model, id, inHand);
        if (model === 'Grant') {
          const read = takeGrantRead(id);
          if (read) return read.payload;
        }
        const ctx = Provider.ctx;
        if (TOKENS_READ_WITH_GRANT.has(model) && ctx) {
          const { rows } = await findTokenWithGrant(scopedDb(db), {
            now: clock.now(),
            model,
            id: storedKey(id),
          });
          const row = rows[0];
          if (!row) return undefined;
          const token = toPayload(model, id, row);
          const grantId = token.grantId;
          if (typeof grantId === 'string') {
            grantReadWithRefreshToken.set(ctx, {
              grantId,
              payload:
                row.grant_payload === null
                  ? undefined
                  : toPayload('Grant', grantId, {
                      payload: row.grant_payload,
                      consumed_at: row.grant_consumed_at,
                    }),
            });
          }
          return token;
        }
        return first(findLiveById, id, id);
      },

      async findByUid(uid) {
        return first(findLiveByUid, uid, undefined);
      },

      async findByUserCode(userCode) {
        return first(findLiveByUserCode, userCode, undefined);
      },

      async consume(id) {
        forgetGrantRead();
        const d = scopedDb(db);
        const result = await consumeLive(d, { now: clock.now(), model, id: storedKey(id) });
        if ((result.numAffectedRows ?? 0n) > 0n) return;

        // Someone else consumed it between oidc-provider's read and this write: a replay. Within a
        // token request's transaction (token-transaction.ts), which commits on this 4xx answer.
        const revokeFamily = async (trx: DbOrTrx) => {
          const row = await trx
            .selectFrom('oidc_payloads')
            .select('grant_id')
            .where('model', '=', model)
            .where('id', '=', storedKey(id))
            .executeTakeFirst();
          if (row?.grant_id) await revokeGrant(trx, row.grant_id);
        };
        if (d.isTransaction) await revokeFamily(d);
        else await d.transaction().execute(revokeFamily);
        throw alreadyConsumed(model);
      },

      async destroy(id) {
        forgetGrantRead();
        await destroyPayload(scopedDb(db), { model, id: storedKey(id) });
      },

      async revokeByGrantId(grantId) {
        forgetGrantRead();
        await deleteByGrantId(scopedDb(db), { grantKey: storedKey(grantId) });
      },
    };
  };
}

/**
 * Revokes what one account holds at one app, at once: on unlink and consent withdrawal with the
 * grant, on an admin-key logout without it, so consent stays (Kakao REST API "Logout").
 * Opaque tokens are looked up on every use, so a deleted row is a dead token.
 */
export async function revokeAccountAtClient(
  db: Db,
  accountId: string,
  clientId: string,
  options: { keepGrant?: boolean } = {},
): Promise<number> {
  const models = options.keepGrant ? [...GRANTABLE] : [...GRANTABLE, 'Grant'];
  const result = await db
    .deleteFrom('oidc_payloads')
    .where('account_id', '=', accountId)
    .where('client_id', '=', clientId)
    .where('model', 'in', models)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The client id an authorization code was issued to, or undefined for an unknown code. */
export async function clientIdOfCode(db: Db, code: string): Promise<string | undefined> {
  if (!code || code.length > 512) return undefined;
  const row = await db
    .selectFrom('oidc_payloads')
    .select('client_id')
    .where('model', '=', 'AuthorizationCode')
    .where('id', '=', storedKey(code))
    .executeTakeFirst();
  return row?.client_id ?? undefined;
}

/**
 * Ends every code, access and refresh token issued under one grant, and keeps the grant (the
 * consent): Kakao's logout with an access token expires the tokens of that login (Kakao REST API
 * "Logout"), not the person's link to the app.
 */
export async function revokeGrantTokens(db: Db, grantId: string): Promise<void> {
  forgetGrantRead();
  await deleteByGrantId(db, { grantKey: storedKey(grantId) });
}

/** Deletes expired rows; returns how many. For a periodic job (expired rows are already invisible). */
export async function purgeExpiredOidcPayloads(db: Db, now: number): Promise<number> {
  const result = await db
    .deleteFrom('oidc_payloads')
    .where('expires_at', 'is not', null)
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
