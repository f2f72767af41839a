/**
 * The Security page under /account/security: the account's sessions, trusted browsers and
 * security events. Thin handlers: the read model is `services.security.overview`, every change is
 * one call to `services.sessions`, scoped to the signed-in account (an id of someone else's matches
 * nothing). POST → 303 back to the page; CSRF is checked by the router (csrf.plugin.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import { SECURITY_PATH, SecurityPage } from '../../views/pages/security-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';
import { requireAccount } from '../pages/account.routes.ts';

const NOTICES = {
  session: 'security.done.session',
  device: 'security.done.device',
  others: 'security.done.others',
} as const;

const done = (what: keyof typeof NOTICES) => `${SECURITY_PATH}?done=${what}`;

export const securityRoutes: FastifyPluginAsync = async (app) => {
  app.get(SECURITY_PATH, { preHandler: requireAccount }, async (request, reply) => {
    const overview = await app.services.security.overview(request.account!.id, {
      sessionIdHash: request.session?.id_hash,
      deviceToken: request.deviceToken(),
    });
    const what = (request.query as { done?: string }).done;
    const notice = what && what in NOTICES ? request.t(NOTICES[what as keyof typeof NOTICES]) : undefined;
    return reply.page(SecurityPage({ ctx: viewContext(request), overview, notice }));
  });

  app.post(`${SECURITY_PATH}/sessions/sign-out`, { preHandler: requireAccount }, async (request, reply) => {
    await app.services.sessions.endSessionOf(request.account!.id, field(request.body, 'session'));
    return reply.redirect(done('session'), 303);
  });

  app.post(`${SECURITY_PATH}/devices/sign-out`, { preHandler: requireAccount }, async (request, reply) => {
    await app.services.sessions.forgetDevice(request.account!.id, field(request.body, 'device'));
    return reply.redirect(done('device'), 303);
  });

  app.post(`${SECURITY_PATH}/sign-out-others`, { preHandler: requireAccount }, async (request, reply) => {
    await app.services.sessions.endAllOtherSessions(request.account!.id, {
      keepSessionIdHash: request.session!.id_hash,
    });
    return reply.redirect(done('others'), 303);
  });
};
