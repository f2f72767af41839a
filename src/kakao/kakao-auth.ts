/**
 * Who is calling a Kakao user API (Kakao REST API: Bearer access token or `KakaoAK` admin key):
 * - `Authorization: Bearer {access token}` (and `?access_token=` where a route allows it: node-oauth
 *   sends it in the query of /v2/user/me, §5.1 quirks). The token is an oidc-provider AccessToken;
 *   its client id is the app's REST API key. It is valid only while the connection is linked, so an
 *   unlink kills it at once even if a row survived.
 * - `Authorization: KakaoAK {admin key}` + `target_id_type=user_id&target_id=…` (query or form).
 *   Every live admin key works: a current one, and a reissued one until its overlap ends or it is
 *   stopped (src/modules/apps/app-key-rotation.ts), then it gets -401 at once. The overlap is checked
 *   in the key lookup itself (apps.repo.ts findAppByKey), so no route can forget it.
 * - `Authorization: KakaoAK {any app key}` for app-level routes (/v1/system/ips).
 * Failures are Kakao's: -401 (401) for a bad token or key, -2 (400) for bad target parameters,
 * -101 (400) for a user not linked to this app.
 */
import type { FastifyRequest } from 'fastify';
import type { AccessToken } from 'oidc-provider';
import type { AppKeyKind, AppRow } from '../modules/apps/apps.types.ts';
import type { ConnectionView } from '../modules/connections/consent-reads.ts';
import { findWithRowInHand } from '../oidc/rows-in-hand.ts';
import { kakaoErrors } from './kakao-errors.ts';
import type { KakaoCaller } from './kakao-users.service.ts';
import { type Params, parseUserId } from './params.ts';

type Connection = KakaoCaller['connection'];

export interface UserCaller {
  /** the app called for (= connection.app_id) */
  appId: number;
  connection: Connection;
  /** present for Bearer callers, absent for admin-key callers */
  token?: AccessToken;
  /** what the connection shows, read with a Bearer caller's token (user-me-reads.ts) */
  view?: ConnectionView;
}

type Credentials = { scheme: 'bearer' | 'kakaoak'; value: string } | undefined;

/**
 * `Authorization: KakaoAK {key}`, read here and nowhere else: every admin-key check in yeon (the
 * user APIs with a target, /v1/user/ids, /v2/app/users, /v1/system/ips and the app API's
 * notifications) goes through this. The key is then found by its SHA-256 among the live keys and
 * the hash compared in constant time (apps.repo.ts findAppByKey, which also refuses a key whose
 * overlap has ended): admin keys are stored sealed,
 * never readable, so nothing compares them as text (OWASP ASVS V6.2.1, V6.4.1).
 */
function kakaoAk(request: FastifyRequest): { scheme: 'kakaoak'; value: string } | undefined {
  const match = /^KakaoAK\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match ? { scheme: 'kakaoak', value: match[1]! } : undefined;
}

function credentials(request: FastifyRequest, params: Params, queryToken: boolean): Credentials {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? { scheme: 'bearer', value: match[1]! } : kakaoAk(request);
  }
  if (queryToken && params.access_token) return { scheme: 'bearer', value: params.access_token };
  return undefined;
}

/**
 * The token, its app's live key, the live link and what the link shows in one statement
 * (user-me-reads.ts), read on every request: a deleted or expired token, a stopped key or an
 * unlink fails at once, on every instance. oidc-provider then verifies the row it was handed
 * (rows-in-hand.ts `findWithRowInHand`), as its own `find` would after reading it.
 */
async function tokenCaller(request: FastifyRequest, value: string): Promise<UserCaller> {
  const provider = request.server.hasDecorator('oidc') ? request.server.oidc : undefined;
  if (!provider || value.length > 512) throw kakaoErrors.invalidToken();
  const read = await request.server.services.kakaoUsers.bearerRead(value);
  if (!read) throw kakaoErrors.invalidToken();
  const row = { payload: read.tokenPayload, consumed_at: read.tokenConsumedAt };
  const token = await findWithRowInHand('AccessToken', value, row, () => provider.AccessToken.find(value));
  if (!token?.accountId || token.accountId !== read.connection.account_id) throw kakaoErrors.invalidToken();
  const { connection, view } = read;
  return { appId: connection.app_id, connection, token, view };
}

/** The app of an admin key. @throws KakaoApiError -401 */
export async function adminApp(request: FastifyRequest): Promise<AppRow> {
  const cred = kakaoAk(request);
  if (!cred) throw kakaoErrors.invalidAppKey();
  const app = await request.server.services.kakaoUsers.appByKey(cred.value, ['admin']);
  if (!app) throw kakaoErrors.invalidAppKey();
  return app;
}

/** `target_id_type=user_id&target_id=…` → the live connection. @throws -2, -101 */
export async function targetConnection(
  request: FastifyRequest,
  app: AppRow,
  params: Params,
): Promise<Connection> {
  if (params.target_id_type !== 'user_id') throw kakaoErrors.badParameter('target_id_type must be user_id.');
  const appUserId = parseUserId(params.target_id);
  if (appUserId === undefined) throw kakaoErrors.badParameter('target_id must be a user id.');
  const connection = await request.server.services.kakaoUsers.liveConnection(app.id, appUserId);
  if (!connection) throw kakaoErrors.notLinked();
  return connection;
}

/**
 * The caller of a user API.
 * @param options.admin the route also takes an admin key with a target (§6)
 * @param options.queryToken the route also takes `access_token` in the query
 */
export async function userCaller(
  request: FastifyRequest,
  params: Params,
  options: { admin: boolean; queryToken?: boolean },
): Promise<UserCaller> {
  const cred = credentials(request, params, options.queryToken === true);
  if (!cred) throw kakaoErrors.invalidToken();
  if (cred.scheme === 'bearer') return tokenCaller(request, cred.value);
  if (!options.admin) throw kakaoErrors.invalidAppKey();
  const app = await adminApp(request);
  return { appId: app.id, connection: await targetConnection(request, app, params) };
}

const APP_KEY_KINDS: AppKeyKind[] = ['native', 'rest_api', 'javascript', 'admin'];

/** Any of the app's keys with `KakaoAK` (§1.4: native, REST, JavaScript or admin). @throws -401 */
export async function anyKeyApp(request: FastifyRequest): Promise<AppRow> {
  const cred = kakaoAk(request);
  if (!cred) throw kakaoErrors.invalidAppKey();
  const app = await request.server.services.kakaoUsers.appByKey(cred.value, APP_KEY_KINDS);
  if (app) return app;
  throw kakaoErrors.invalidAppKey();
}
