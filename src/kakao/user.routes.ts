/**
 * Kakao's user APIs on kapi paths (Kakao REST API "Unlink", "Retrieve user information", "Store
 * user information", "Logout", "Retrieve token information"): /v2/user/me, /v1/user/unlink,
 * /v1/user/logout, /v1/user/access_token_info, /v1/user/update_profile. Thin handlers: who is
 * calling (kakao-auth.ts) → one read or one service call → Kakao's body.
 */
import type { FastifyPluginAsync } from 'fastify';
import { hasControlChars } from '../lib/text.ts';
import { userCaller } from './kakao-auth.ts';
import { kakaoErrors } from './kakao-errors.ts';
import { booleanParam, mergeParams } from './params.ts';
import { CUSTOM_PROPERTY_KEY, propertyKeysParam } from './user-me.ts';

/** Default property keys Kakao fills itself; an app cannot overwrite them (§3.1). */
const RESERVED_PROPERTIES = new Set(['nickname', 'profile_image', 'thumbnail_image']);
const PROPERTY_VALUE_MAX = 250;

/** `properties={"key":"value"}` → changes; a null value deletes a key. @throws -2, -201 */
function parseProperties(raw: string | undefined): Record<string, string | null> {
  let parsed: unknown;
  try {
    parsed = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw kakaoErrors.badParameter('properties must be a JSON object.');
  const changes: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!CUSTOM_PROPERTY_KEY.test(key) || RESERVED_PROPERTIES.has(key))
      throw kakaoErrors.unknownProperty(key);
    if (value === null) changes[key] = null;
    else if (
      ['string', 'number', 'boolean'].includes(typeof value) &&
      String(value).length <= PROPERTY_VALUE_MAX &&
      // A property is a short value an app shows or matches on, never multi-line text (OWASP ASVS V5.1.4).
      !hasControlChars(String(value))
    )
      changes[key] = String(value);
    else throw kakaoErrors.badParameter(`invalid value for property. [${key}]`);
  }
  if (Object.keys(changes).length === 0) throw kakaoErrors.badParameter('properties must not be empty.');
  return changes;
}

export const kakaoUserRoutes: FastifyPluginAsync = async (app) => {
  const { kakaoUsers } = app.services;

  // §3.1: Bearer (also ?access_token=, node-oauth) or admin key + target.
  app.route({
    method: ['GET', 'POST'],
    url: '/v2/user/me',
    handler: async (request) => {
      const params = mergeParams(request.query, request.body);
      const caller = await userCaller(request, params, { admin: true, queryToken: true });
      const propertyKeys = propertyKeysParam(params);
      // secure_resource: yeon serves image URLs as stored, so it only has to be well-formed.
      booleanParam(params, 'secure_resource');
      return kakaoUsers.me(caller.connection, propertyKeys, caller.view);
    },
  });

  // §2: app-initiated unlink: no webhook (services.connections REFERRER 'app' = none).
  app.post('/v1/user/unlink', async (request) => {
    const caller = await userCaller(request, mergeParams(request.query, request.body), { admin: true });
    return kakaoUsers.unlink(caller);
  });

  // §5.3: Bearer → every token of that login (the access token, its refresh token and any other
  // token issued under the same grant: Kakao "expires the tokens"); admin key + target → every
  // token of the user at this app. The consent (the Grant) is kept: a logout is not an unlink.
  app.post('/v1/user/logout', async (request) => {
    const caller = await userCaller(request, mergeParams(request.query, request.body), { admin: true });
    return kakaoUsers.logout(caller);
  });

  // §5.3
  app.get('/v1/user/access_token_info', async (request) => {
    const caller = await userCaller(request, mergeParams(request.query, undefined), { admin: false });
    return {
      id: Number(caller.connection.app_user_id),
      expires_in: Math.max(0, caller.token!.remainingTTL),
      app_id: caller.appId,
    };
  });

  // §3.2
  app.post('/v1/user/update_profile', async (request) => {
    const params = mergeParams(request.query, request.body);
    const caller = await userCaller(request, params, { admin: false });
    return kakaoUsers.updateProfile(caller.connection, parseProperties(params.properties));
  });
};
