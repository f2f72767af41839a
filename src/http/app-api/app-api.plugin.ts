/**
 * Kakao-style APIs an app's server calls with `Authorization: KakaoAK {admin key}`
 * (as Kakao's admin-key APIs are) for its notifications, in their own scope:
 * - form bodies (`application/x-www-form-urlencoded`, Kakao's) and JSON are both accepted;
 * - every error is Kakao's envelope `{msg, code}` with Kakao's status (kakao-errors.ts), never
 *   yeon's JSON error shape, so Kakao SDK error handling keeps working.
 * Server-to-server only: no cookies are read, so no CSRF surface.
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import { adminApp } from '../../kakao/kakao-auth.ts';
import { sendKakaoError } from '../../kakao/kakao-surface.ts';
import type { AppRow } from '../../modules/apps/apps.types.ts';
import { appNotificationRoutes } from './notifications.routes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** the app whose admin key authenticated this request (app-api scope only) */
    adminApp?: AppRow;
  }
}

export const appApi: FastifyPluginAsync = async (scope) => {
  await scope.register(formbody);
  scope.decorateRequest('adminApp', undefined);
  scope.setErrorHandler(sendKakaoError);
  scope.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    // The same admin-key check as Kakao's own admin APIs (any live admin key, so rotation has no
    // downtime). @throws -401
    request.adminApp = await adminApp(request);
  });
  await scope.register(appNotificationRoutes);
};
