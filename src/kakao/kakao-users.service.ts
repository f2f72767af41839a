/**
 * The Kakao user APIs' rules, transactions and reads (Kakao REST API "Unlink", "Logout",
 * "Retrieve user information", "Store user information", "Retrieve consent details", "Revoke
 * consent" and the admin-key APIs "Retrieve user list" and "Retrieve multiple users'
 * information"). The routes parse, call one method here and send what it returns; who is calling
 * is kakao-auth.ts's, through the lookups at the end. No Fastify.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { takeApiCall, USER_IDS_QUOTA } from '../modules/apps/api-quota.ts';
import { findAppByKey, liveKeys } from '../modules/apps/apps.repo.ts';
import { type AppKeyKind, type AppRow, isClientKeyKind } from '../modules/apps/apps.types.ts';
import { type Connection, findLiveConnectionByAppUserId } from '../modules/connections/connections.repo.ts';
import type { ConnectionsService } from '../modules/connections/connections.service.ts';
import {
  type ConnectionView,
  loadConnectionView,
  loadConsentState,
} from '../modules/connections/consent-reads.ts';
import { type ConsentState, everAgreed, isRevocable } from '../modules/connections/consent-state.ts';
import { revokeAccountAtClient, revokeGrantTokens } from '../oidc/kysely-adapter.ts';
import { KakaoApiError, kakaoErrors } from './kakao-errors.ts';
import { countProperties, findLiveConnections, listLinkedUserIds, setProperties } from './kakao-users.ts';
import { buildScopes } from './scopes.ts';
import { buildUserMe, kakaoDateTime } from './user-me.ts';
import { type BearerRead, readBearer } from './user-me-reads.ts';

/** Kakao's limit on an app's own properties per user ("Store user information"). */
const PROPERTIES_MAX = 30;

/** A caller of a user API: the app and its live link, and the access token of a Bearer caller. */
export interface KakaoCaller {
  appId: number;
  connection: Connection;
  token?: { grantId?: string; destroy(): Promise<unknown> };
}

export interface KakaoUsersDeps {
  db: Kysely<Database>;
  clock: Clock;
  connections: ConnectionsService;
}

export function createKakaoUsersService({ db, clock, connections }: KakaoUsersDeps) {
  const idOf = (connection: Connection) => ({ id: Number(connection.app_user_id) });

  /** The /v2/user/me body of one connection (also per user for /v2/app/users). @throws -101 */
  async function me(connection: Connection, propertyKeys?: string[], viewRead?: ConnectionView) {
    const view = viewRead ?? (await loadConnectionView(db, connection));
    if (!view) throw kakaoErrors.notLinked();
    return buildUserMe({
      appUserId: Number(connection.app_user_id),
      connectedAt: connection.connected_at,
      account: view.account,
      offered: view.consent.offered,
      agreed: view.consent.agreed ?? new Set(),
      propertyKeys,
      customProperties: view.properties,
    });
  }

  /** "Unlink" by the app: no unlink callback, as at Kakao (the connections service's REFERRER). */
  async function unlink(caller: KakaoCaller) {
    const result = await connections.unlink({
      accountId: caller.connection.account_id,
      appId: caller.appId,
      by: 'app',
    });
    return { id: Number(result.appUserId) };
  }

  /**
   * "Logout": with a token, every token of that login (the access token, its refresh token and any
   * other token issued under the same grant); with the admin key, every token of the user at this
   * app. The consent (the Grant) is kept: a logout is not an unlink.
   */
  async function logout(caller: KakaoCaller) {
    if (caller.token) {
      if (caller.token.grantId) await revokeGrantTokens(db, caller.token.grantId);
      else await caller.token.destroy();
    } else {
      for (const key of (await liveKeys(db, caller.appId)).filter((k) => isClientKeyKind(k.kind)))
        await revokeAccountAtClient(db, caller.connection.account_id, key.key, { keepGrant: true });
    }
    return idOf(caller.connection);
  }

  /** "Store user information": the changes and the per-user limit in one transaction. @throws -2 */
  async function updateProfile(connection: Connection, changes: Record<string, string | null>) {
    await db.transaction().execute(async (trx) => {
      await setProperties(trx, connection.id, changes, clock.now());
      if ((await countProperties(trx, connection.id)) > PROPERTIES_MAX)
        throw kakaoErrors.badParameter(`at most ${PROPERTIES_MAX} properties per user.`);
    });
    return idOf(connection);
  }

  async function consentOf(connection: Connection): Promise<ConsentState & { agreed: Set<string> }> {
    const state = await loadConsentState(db, connection.app_id, connection.account_id);
    if (!state.agreed) throw kakaoErrors.notLinked();
    return state as ConsentState & { agreed: Set<string> };
  }

  function scopesBody(
    connection: Connection,
    state: ConsentState & { agreed: Set<string> },
    only?: string[],
  ) {
    return buildScopes({
      appUserId: Number(connection.app_user_id),
      modes: state.modes,
      agreed: state.agreed,
      everAgreed: everAgreed(state),
      only,
    });
  }

  /** "Retrieve consent details". @throws -101 */
  async function scopes(connection: Connection, only?: string[]) {
    return scopesBody(connection, await consentOf(connection), only);
  }

  /**
   * "Revoke consent", with Kakao's exact refusals: an agreed item that is not revocable is 403 -3,
   * an item not agreed is -2. Each item goes through the connections service's withdrawal.
   */
  async function revokeScopes(caller: KakaoCaller, items: string[]) {
    const state = await consentOf(caller.connection);
    for (const id of items) {
      if (state.agreed.has(id) && !isRevocable(state.modes[id]))
        throw new KakaoApiError(
          -3,
          403,
          `[${id}] is not revocable. check out if it's set as required on developers.kakao.com`,
        );
    }
    const unknown = items.filter((id) => !state.agreed.has(id));
    if (unknown.length)
      throw kakaoErrors.badParameter(
        `There is no scopes to revoke. check out if given scope id([${unknown.join(', ')}]) is correct again.`,
      );
    for (const item of new Set(items))
      await connections.withdraw({ accountId: caller.connection.account_id, appId: caller.appId, item });
    return scopesBody(caller.connection, await consentOf(caller.connection));
  }

  /**
   * "Retrieve user list", with Kakao's rate limit (100 calls per minute per app, then -10 with
   * HTTP 429). The call is counted before its parameters are read: a refused call is still a call.
   */
  async function userIds(
    appId: number,
    parse: () => { fromId?: number; order: 'asc' | 'desc'; limit: number },
  ) {
    const quota = await takeApiCall(db, appId, USER_IDS_QUOTA, clock.now());
    if (!quota.allowed) throw kakaoErrors.quota(quota.retryAfterSeconds);
    const query = parse();
    return { ...query, ...(await listLinkedUserIds(db, appId, query)) };
  }

  /** "Retrieve multiple users' information": linked ids only, in the order asked. */
  async function appUsers(appId: number, ids: number[], propertyKeys: string[] | undefined) {
    const users = [];
    for (const connection of await findLiveConnections(db, appId, ids)) {
      if (!propertyKeys?.length) {
        users.push({ ...idOf(connection), connected_at: kakaoDateTime(connection.connected_at) });
        continue;
      }
      const body = await me(connection, propertyKeys);
      if (!propertyKeys.some((k) => k.startsWith('kakao_account.'))) delete body.kakao_account;
      users.push(body);
    }
    return users;
  }

  // ---- who is calling (kakao-auth.ts) --------------------------------------------------------------

  /** An access token with its app's live link and what the link shows, in one statement. */
  function bearerRead(accessToken: string): Promise<BearerRead | undefined> {
    return readBearer(db, accessToken);
  }

  /** The app of a live key of one of `kinds`, tried in that order. */
  async function appByKey(key: string, kinds: readonly AppKeyKind[]): Promise<AppRow | undefined> {
    for (const kind of kinds) {
      const app = await findAppByKey(db, key, kind);
      if (app) return app;
    }
    return undefined;
  }

  function liveConnection(appId: number, appUserId: number): Promise<Connection | undefined> {
    return findLiveConnectionByAppUserId(db, appId, appUserId);
  }

  return {
    me,
    unlink,
    logout,
    updateProfile,
    scopes,
    revokeScopes,
    userIds,
    appUsers,
    bearerRead,
    appByKey,
    liveConnection,
  };
}

export type KakaoUsersService = ReturnType<typeof createKakaoUsersService>;
