/**
 * `/invitations/:token`: the link in an invitation mail. Someone not signed in is offered log-in
 * or sign-up and comes back here through the safe `next` (safe-next.ts); a signed-in person sees
 * the invitation and answers it with a POST (CSRF-checked by the router). Every outcome is a page:
 * an unknown link 404, a used, expired or withdrawn one 410, another account's or an address not
 * yet confirmed 403.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { InvitationRefusal } from '../../modules/apps/app-invitations.ts';
import {
  InvitationDeclinedPage,
  InvitationPage,
  InvitationRefusedPage,
  InvitationSignInPage,
} from '../../views/pages/invitation-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { requireAccount } from './account.routes.ts';
import { safeNext } from './safe-next.ts';

const REFUSAL_STATUS: Record<InvitationRefusal, number> = {
  unknown: 404,
  expired: 410,
  used: 410,
  revoked: 410,
  wrong_account: 403,
  unverified_email: 403,
};

function tokenOf(request: FastifyRequest): string {
  return (request.params as { token?: string }).token ?? '';
}

function refused(request: FastifyRequest, reply: FastifyReply, reason: InvitationRefusal): FastifyReply {
  const page = InvitationRefusedPage({ ctx: viewContext(request), reason, email: request.account!.email });
  return reply.page(page, REFUSAL_STATUS[reason]);
}

export const invitationRoutes: FastifyPluginAsync = async (app) => {
  const { apps } = app.services;

  app.get('/invitations/:token', async (request, reply) => {
    if (!request.account) {
      const next = safeNext(request.url, '/developers');
      return reply.page(InvitationSignInPage({ ctx: viewContext(request), next }));
    }
    const token = tokenOf(request);
    const found = await apps.openInvitation({ accountId: request.account.id }, token);
    if (!found.ok) return refused(request, reply, found.reason);
    const page = InvitationPage({
      ctx: viewContext(request),
      token,
      invitation: found.invitation,
      email: request.account.email,
    });
    return reply.page(page);
  });

  app.post('/invitations/:token/accept', { preHandler: requireAccount }, async (request, reply) => {
    const answer = await apps.acceptInvitation({ accountId: request.account!.id }, tokenOf(request));
    if (!answer.ok) return refused(request, reply, answer.reason);
    return reply.redirect(`/developers/apps/${answer.app_id}`, 303);
  });

  app.post('/invitations/:token/decline', { preHandler: requireAccount }, async (request, reply) => {
    const answer = await apps.declineInvitation({ accountId: request.account!.id }, tokenOf(request));
    if (!answer.ok) return refused(request, reply, answer.reason);
    return reply.page(InvitationDeclinedPage({ ctx: viewContext(request) }));
  });
};
