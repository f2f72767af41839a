/**
 * Kakao-style APIs an app's server calls with `Authorization: KakaoAK {admin key}`
 * (as Kakao's admin-key APIs are) for its notifications, in their own scope:
 * - form bodies (`application/x-www-form-urlencoded`, Kakao's) and JSON are both accepted;
 * - every error is Kakao's envelope `{msg, code}` with Kakao's status (kakao-errors.ts), never
 *   yeon's JSON error shape, so Kakao SDK error handling keeps working.
 * Server-to-server only: no cookies are read, so no CSRF surface.
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { kakaoEnvelope, kakaoErrors, toKakaoError } from '../../kakao/kakao-errors.ts';
import type { AppRow } from '../../modules/apps/apps.types.ts';
import { appNotificationRoutes } from './notifications.routes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** the app whose admin key authenticated this request (app-api scope only) */
    adminApp?: AppRow;
  }
}

/** `KakaoAK {admin key}` → the app (any live admin key, so rotation has no downtime). @throws -401 */
async function requireAdminKey(request: FastifyRequest): Promise<void> {
  const match = /^KakaoAK\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  const app = match ? await request.server.services.apps.findAppByAdminKey(match[1]!) : undefined;
  if (!app) throw kakaoErrors.invalidAppKey();
  request.adminApp = app;
}

export const appApi: FastifyPluginAsync = async (scope) => {
  await scope.register(formbody);
  scope.decorateRequest('adminApp', undefined);
  scope.setErrorHandler((err, request, reply) => {
    const kakao = toKakaoError(err);
    if (kakao.code === -1) request.log.error({ err }, 'app API request failed');
    return reply.code(kakao.status).send(kakaoEnvelope(kakao));
  });
  scope.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    await requireAdminKey(request);
  });
  await scope.register(appNotificationRoutes);
};
