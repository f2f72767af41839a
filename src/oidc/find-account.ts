/**
 * oidc-provider's `findAccount` (Kakao "OpenID Connect"; OpenID Connect Core §5.3): the claims of the ID
 * token and of `/v1/oidc/userinfo`, computed at every call from the account AND the live consents
 * of this app. A withdrawn, never-agreed or switched-off item is never released, whatever scope
 * the token carries (computed from the LIVE consents, never from the token's scopes alone).
 *
 * `sub` is the account id here: oidc-provider turns it into the app user id through the pairwise
 * hook (`subjectFor` in engine.ts; oidc-provider lib/helpers/claims.js), so Kakao's `sub` is the
 * per-app number (§3.3).
 */
import { sql } from 'kysely';
import type { FindAccount } from 'oidc-provider';
import Provider from 'oidc-provider';
import type { Db } from '../db/create-db.ts';
import type { Account } from '../db/database.ts';
import type { ConsentMode } from '../modules/apps/apps.types.ts';
import type { ProfileFields } from '../modules/connections/consent-reads.ts';
import { type ConsentState, consentStateOf, isReleased } from '../modules/connections/consent-state.ts';
import { appIdOfClient } from './consent-state.ts';
import { precompiled } from './precompiled.ts';
import { scopedDb } from './token-transaction.ts';

type Claims = { sub: string } & Record<string, unknown>;

/** Kakao's userinfo `birthdate`: `0000-MM-DD`, `YYYY` or `YYYY-MM-DD` depending on consents (§5.4). */
function birthdate(year: string | null | undefined, mmdd: string | null | undefined): string | undefined {
  const md = mmdd && /^\d{4}$/.test(mmdd) ? `${mmdd.slice(0, 2)}-${mmdd.slice(2)}` : undefined;
  if (year && md) return `${year}-${md}`;
  if (year) return year;
  return md ? `0000-${md}` : undefined;
}

/** Pure: the claims one account releases to one app, given the live consents and the app's modes. */
export function claimsFor(
  account: Pick<Account, 'id' | ProfileFields>,
  consent: Pick<ConsentState, 'modes' | 'agreed'>,
): Claims {
  const ok = (item: string) => isReleased(consent, item);
  const claims: Claims = { sub: account.id };
  if (ok('profile_nickname')) claims.nickname = account.nickname;
  if (ok('profile_image') && account.profile_image_url) claims.picture = account.profile_image_url;
  if (ok('account_email')) {
    claims.email = account.email;
    // True once the person opened the confirmation link mailed to this address (as user-me.ts).
    claims.email_verified = account.email_verified_at != null;
  }
  if (ok('name') && account.name) claims.name = account.name;
  if (ok('gender') && account.gender) claims.gender = account.gender;
  const date = birthdate(
    ok('birthyear') ? account.birthyear : undefined,
    ok('birthday') ? account.birthday : undefined,
  );
  if (date) claims.birthdate = date;
  if (ok('phone_number') && account.phone_number) {
    claims.phone_number = account.phone_number;
    claims.phone_number_verified = false;
  }
  return claims;
}

/** The account columns the claims are made of (claimsFor). */
const CLAIM_COLUMNS = [
  'id',
  'nickname',
  'profile_image_url',
  'email',
  'email_verified_at',
  'name',
  'gender',
  'birthyear',
  'birthday',
  'age_range',
  'phone_number',
] as const satisfies ReadonlyArray<'id' | ProfileFields>;

/** Twice per login (resume, code exchange) and on every refresh: compiled once. */
const accountById = precompiled(['id'], (db, p) =>
  db.selectFrom('accounts').select('id').where('id', '=', p.id),
);

/**
 * The account at the request's app in one statement (a round trip each on PostgreSQL): the
 * account, its app user id, whether it is linked, one row per consent item of the app with its
 * mode and one per live agreement. The code exchange and every refresh need all of it: the claims
 * (here), `sub` (engine.ts `createSubjectFor`) and the live scope (kakao-layer.ts).
 */
const accountAtApp = precompiled(['accountId', 'appId'], (db, p) => {
  const items = db
    .selectFrom('app_consent_items as i')
    .select([
      sql<'item' | 'agreed'>`'item'`.as('kind'),
      'i.item as item',
      sql<string | null>`${sql.ref('i.mode')}`.as('mode'),
    ])
    .where('i.app_id', '=', p.appId);
  const agreed = db
    .selectFrom('connections as lc')
    .innerJoin('connection_consents as cc', 'cc.connection_id', 'lc.id')
    .select([
      sql<'item' | 'agreed'>`'agreed'`.as('kind'),
      'cc.item as item',
      sql<string | null>`null`.as('mode'),
    ])
    .where('lc.app_id', '=', p.appId)
    .where('lc.account_id', '=', p.accountId)
    // a literal, so SQLite uses the partial unique index connections_one_live_link
    .where('lc.status', '=', sql.lit('linked'))
    .where('cc.withdrawn_at', 'is', null);
  return (
    db
      .selectFrom('accounts as acc')
      .leftJoin('app_user_ids as u', (join) =>
        join.on('u.app_id', '=', p.appId).onRef('u.account_id', '=', 'acc.id'),
      )
      .leftJoin('connections as c', (join) =>
        join
          .on('c.app_id', '=', p.appId)
          .onRef('c.account_id', '=', 'acc.id')
          .on('c.status', '=', sql.lit('linked')),
      )
      .leftJoin(items.unionAll(agreed).as('x'), (join) => join.onTrue())
      // only what claimsFor releases, repeated on every item row: not the password hash, the
      // normalized email or the timestamps, which no claim, `sub` or scope needs
      .select(CLAIM_COLUMNS.map((c) => `acc.${c}` as const))
      .select([
        'u.app_user_id as x_app_user_id',
        'c.id as x_link_id',
        'x.kind as x_kind',
        'x.item as x_item',
        'x.mode as x_mode',
      ])
      .where('acc.id', '=', p.accountId)
  );
});

/** What `accountAtApp` read for this request's client: its `sub` and the live agreed items. */
interface AccountAtClient {
  accountId: string;
  clientId: string;
  appUserId: number | undefined;
  /** undefined when not linked */
  agreed: Set<string> | undefined;
}

/**
 * Kept for the rest of the request that read it (keyed by oidc-provider's request context: the
 * Koa context findAccount gets, which is `Provider.ctx` inside its routes), so `sub` and the live scope of the same token answer are not read
 * again; gone with the request, so every request still reads live. Outside a request: nothing.
 */
const readInRequest = new WeakMap<object, AccountAtClient>();

/** This request's read of `accountId` at `clientId`, if findAccount made it. */
export function accountAtClientInRequest(
  accountId: string,
  clientId: string,
  ctx: object | undefined = Provider.ctx,
): AccountAtClient | undefined {
  const read = ctx && readInRequest.get(ctx);
  return read && read.accountId === accountId && read.clientId === clientId ? read : undefined;
}

/**
 * The profile claims Kakao's ID token carries (Kakao REST API "ID token payload"): `nickname`,
 * `picture` and `email`, the last only when the address is verified. The registered claims (`iss`,
 * `aud`, `sub`, `iat`, `exp`, `auth_time`, `nonce`) are oidc-provider's own. Userinfo releases the
 * rest (`name`, `gender`, `birthdate`, `phone_number`…).
 */
export function idTokenClaims(claims: Claims): Claims {
  const out: Claims = { sub: claims.sub };
  if (claims.nickname !== undefined) out.nickname = claims.nickname;
  if (claims.picture !== undefined) out.picture = claims.picture;
  if (claims.email !== undefined && claims.email_verified === true) out.email = claims.email;
  return out;
}

export function createFindAccount(db: Db): FindAccount {
  return async (ctx, accountId) => {
    const client = ctx.oidc?.client;
    const appId = appIdOfClient(client);
    if (appId === undefined || !client) {
      const [account] = (await accountById(scopedDb(db), { id: accountId })).rows;
      if (!account) return undefined;
      return { accountId, claims: async () => ({ sub: accountId }) };
    }
    const { rows } = await accountAtApp(scopedDb(db), { accountId, appId });
    const first = rows[0];
    if (!first) return undefined;
    const { x_app_user_id, x_link_id, x_kind: _k, x_item: _i, x_mode: _m, ...account } = first;
    const items: Array<{ item: string; mode: ConsentMode }> = [];
    const consents: Array<{ item: string; withdrawn_at: null }> = [];
    for (const row of rows) {
      if (row.x_kind === 'item') items.push({ item: row.x_item as string, mode: row.x_mode as ConsentMode });
      else if (row.x_kind === 'agreed') consents.push({ item: row.x_item as string, withdrawn_at: null });
    }
    const state = consentStateOf({ items, consents: x_link_id === null ? undefined : consents });
    const appUserId = x_app_user_id === null ? undefined : Number(x_app_user_id);
    const read = { accountId, clientId: client.clientId, appUserId, agreed: state.agreed };
    readInRequest.set(ctx, read);
    return {
      accountId,
      async claims(use) {
        const claims = claimsFor(account, state);
        return use === 'id_token' ? idTokenClaims(claims) : claims;
      },
    };
  };
}
