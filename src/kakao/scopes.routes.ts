/**
 * `GET /v2/user/scopes` and `POST /v2/user/revoke/scopes` (Kakao REST API "Retrieve consent
 * details", "Revoke consent"): Bearer, or admin key + target. The rules and the withdrawal are
 * kakao-users.service.ts's, and every API answer reads live consents, so a withdrawn item is gone
 * from /v2/user/me at once.
 */
import type { FastifyPluginAsync } from 'fastify';
import { userCaller } from './kakao-auth.ts';
import { kakaoErrors } from './kakao-errors.ts';
import { mergeParams, stringArrayParam } from './params.ts';

export const kakaoScopeRoutes: FastifyPluginAsync = async (app) => {
  const { kakaoUsers } = app.services;

  app.get('/v2/user/scopes', async (request) => {
    const params = mergeParams(request.query, undefined);
    const caller = await userCaller(request, params, { admin: true });
    return kakaoUsers.scopes(caller.connection, stringArrayParam(params, 'scopes'));
  });

  app.post('/v2/user/revoke/scopes', async (request) => {
    const params = mergeParams(request.query, request.body);
    const caller = await userCaller(request, params, { admin: true });
    const scopes = stringArrayParam(params, 'scopes');
    if (!scopes?.length) throw kakaoErrors.badParameter('scopes is required.');
    return kakaoUsers.revokeScopes(caller, scopes);
  });
};
