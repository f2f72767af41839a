/**
 * The Kakao-compatible user API (Kakao REST API: user information, unlink, consent, admin-key APIs
 * and error codes) in its own encapsulated scope:
 * - form bodies (Kakao's SDKs and servers send `application/x-www-form-urlencoded`) and JSON,
 *   parsed only here: the OAuth engine must keep seeing raw bodies;
 * - every error as Kakao's `{"msg": …, "code": <negative int>}` with Kakao's HTTP status (§7.1);
 * - `cache-control: no-store`: the answers are personal data and token state.
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import { kakaoAdminRoutes } from './admin.routes.ts';
import { kakaoCorsRoutes } from './cors.ts';
import { sendKakaoError } from './kakao-surface.ts';
import { kakaoScopeRoutes } from './scopes.routes.ts';
import { kakaoUserRoutes } from './user.routes.ts';

/** Kakao's parameters are short; a property update is the largest body. */
const KAKAO_BODY_LIMIT = 65_536;

export const kakaoApi: FastifyPluginAsync = async (api) => {
  await api.register(formbody, { bodyLimit: KAKAO_BODY_LIMIT });
  api.setErrorHandler(sendKakaoError);
  api.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  // CORS for the Kakao JavaScript SDK on the user API routes registered below (cors.ts)
  api.addHook('onRoute', kakaoCorsRoutes);
  await api.register(kakaoUserRoutes);
  await api.register(kakaoScopeRoutes);
  await api.register(kakaoAdminRoutes);
};
