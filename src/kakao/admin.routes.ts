/**
 * Admin-key APIs (Kakao REST API "Retrieve user list", "Retrieve multiple user information"): `GET
 * /v1/user/ids` (also POST, seen in third-party callers) and `GET /v2/app/users`, plus `GET
 * /v1/system/ips` (§1.4, any app key). `/v1/user/ids` has Kakao's rate limit (Kakao REST API
 * "Retrieve user list": 100 calls per minute per app, then -10 with HTTP 429), counted in the
 * database (modules/apps/api-quota.ts).
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { adminApp, anyKeyApp } from './kakao-auth.ts';
import { kakaoErrors } from './kakao-errors.ts';
import { intParam, mergeParams, type Params, parseUserId, userIdArrayParam } from './params.ts';
import { propertyKeysParam } from './user-me.ts';

/** `asc` (default) | `desc`; third-party code sends `dsc`. */
function orderParam(params: Params): 'asc' | 'desc' {
  const order = params.order ?? 'asc';
  if (order === 'asc') return 'asc';
  if (order === 'desc' || order === 'dsc') return 'desc';
  throw kakaoErrors.badParameter(`order must be asc or desc. ${order}`);
}

/**
 * Kakao's page links: `before_url` lists smaller ids (order=desc), `after_url` larger ones
 * (order=asc), on our own origin. Unlike Kakao, the admin key is not put in the URL (`app_key`):
 * a key in a URL ends up in logs; the caller sends its header again.
 */
function pageUrl(app: FastifyInstance, limit: number, order: 'asc' | 'desc', fromId: number): string {
  const url = new URL('/v1/user/ids', app.config.issuer);
  url.search = new URLSearchParams({ limit: String(limit), order, from_id: String(fromId) }).toString();
  return url.toString();
}

/** `limit`, `order` and `from_id` of /v1/user/ids. @throws -2 */
function idsQuery(params: Params): { fromId?: number; order: 'asc' | 'desc'; limit: number } {
  const limit = intParam(params, 'limit', 1, 100, 100);
  const order = orderParam(params);
  const fromRaw = params.from_id;
  const fromId = fromRaw === undefined || fromRaw === '' ? undefined : parseUserId(fromRaw);
  if (fromRaw && fromId === undefined)
    throw kakaoErrors.badParameter(`from_id must be a user id. ${fromRaw}`);
  return { fromId, order, limit };
}

const APP_USERS_MAX = 100;
const APP_USERS_MAX_WITH_PROPERTIES = 20;

export const kakaoAdminRoutes: FastifyPluginAsync = async (app) => {
  app.route({
    method: ['GET', 'POST'],
    url: '/v1/user/ids',
    handler: async (request) => {
      const params = mergeParams(request.query, request.body);
      const target = await adminApp(request);
      // The service counts the call before it parses: a refused call is still a call.
      const page = await app.services.kakaoUsers.userIds(target.id, () => idsQuery(params));
      const { limit } = page;
      const min = Math.min(...page.elements);
      const max = Math.max(...page.elements);
      return {
        elements: page.elements,
        before_url: page.hasBefore ? pageUrl(app, limit, 'desc', min - 1) : null,
        after_url: page.hasAfter ? pageUrl(app, limit, 'asc', max + 1) : null,
      };
    },
  });

  // §6: the documented examples answer a bare JSON array (the table says `elements`); we follow
  // the examples. Ids that are not linked to the app are left out.
  app.get('/v2/app/users', async (request) => {
    const params = mergeParams(request.query, undefined);
    const target = await adminApp(request);
    if (params.target_id_type !== 'user_id')
      throw kakaoErrors.badParameter('target_id_type must be user_id.');
    const ids = userIdArrayParam(params, 'target_ids');
    const propertyKeys = propertyKeysParam(params);
    const max = propertyKeys?.length ? APP_USERS_MAX_WITH_PROPERTIES : APP_USERS_MAX;
    if (!ids?.length || ids.length > max)
      throw kakaoErrors.badParameter(`target_ids must have 1 to ${max} user ids.`);
    return app.services.kakaoUsers.appUsers(target.id, ids, propertyKeys);
  });

  // §1.4: yeon's outbound callbacks leave from the configured egress addresses;
  // `inbound` = where requests to the app come from, as at Kakao. The IP object's shape is not
  // documented; we send `{type, ip}`. `outbound` (addresses of our own endpoints) is not configured.
  const bootDate = new Date().toISOString().slice(0, 10);
  app.get('/v1/system/ips', async (request) => {
    const params = mergeParams(request.query, undefined);
    await anyKeyApp(request);
    const ruleType = params.rule_type;
    if (ruleType !== undefined && ruleType !== 'inbound' && ruleType !== 'outbound')
      throw kakaoErrors.badParameter(`rule_type must be inbound or outbound. ${ruleType}`);
    const inbound = app.config.egressIps.map((ip) => ({ type: 'callback', ip }));
    return {
      ...(ruleType !== 'outbound' ? { inbound } : {}),
      ...(ruleType !== 'inbound' ? { outbound: [] } : {}),
      updatedDate: bootDate,
    };
  });
};
