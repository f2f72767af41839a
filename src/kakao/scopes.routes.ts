/**
 * `GET /v2/user/scopes` and `POST /v2/user/revoke/scopes` (Kakao REST API "Retrieve consent
 * details", "Revoke consent"): Bearer, or admin key + target. Withdrawal goes through
 * `services.connections.withdraw`, and every API answer reads live consents, so a withdrawn item is
 * gone from /v2/user/me at once.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Connection } from '../modules/connections/connections.repo.ts';
import { userCaller } from './kakao-auth.ts';
import { KakaoApiError, kakaoErrors } from './kakao-errors.ts';
import { loadUserView, type UserView } from './kakao-users.ts';
import { mergeParams, stringArrayParam } from './params.ts';
import { buildScopes } from './scopes.ts';

async function viewOf(app: FastifyInstance, connection: Connection): Promise<UserView> {
  const view = await loadUserView(app.db, connection);
  if (!view) throw kakaoErrors.notLinked();
  return view;
}

function scopesBody(connection: Connection, view: UserView, only?: string[]) {
  return buildScopes({
    appUserId: Number(connection.app_user_id),
    modes: view.modes,
    agreed: view.agreed,
    everAgreed: view.everAgreed,
    only,
  });
}

/** Kakao's exact refusals (§4.3): a required item is 403 -3, anything not revocable-and-agreed -2. */
function checkRevocable(view: UserView, scopes: string[]): void {
  for (const id of scopes) {
    const mode = view.modes[id];
    if (view.agreed.has(id) && mode !== 'optional' && mode !== 'during_use')
      throw new KakaoApiError(
        -3,
        403,
        `[${id}] is not revocable. check out if it's set as required on developers.kakao.com`,
      );
  }
  const unknown = scopes.filter((id) => !view.agreed.has(id));
  if (unknown.length)
    throw kakaoErrors.badParameter(
      `There is no scopes to revoke. check out if given scope id([${unknown.join(', ')}]) is correct again.`,
    );
}

export const kakaoScopeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/v2/user/scopes', async (request) => {
    const params = mergeParams(request.query, undefined);
    const caller = await userCaller(request, params, { admin: true });
    const only = stringArrayParam(params, 'scopes');
    return scopesBody(caller.connection, await viewOf(app, caller.connection), only);
  });

  app.post('/v2/user/revoke/scopes', async (request) => {
    const params = mergeParams(request.query, request.body);
    const caller = await userCaller(request, params, { admin: true });
    const scopes = stringArrayParam(params, 'scopes');
    if (!scopes?.length) throw kakaoErrors.badParameter('scopes is required.');
    checkRevocable(await viewOf(app, caller.connection), scopes);
    for (const item of new Set(scopes)) {
      await app.services.connections.withdraw({
        accountId: caller.connection.account_id,
        appId: caller.appId,
        item,
      });
    }
    return scopesBody(caller.connection, await viewOf(app, caller.connection));
  });
};
