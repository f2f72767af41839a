/**
 * The members page: list, invite by email, revoke an invitation, change role, remove. The policy
 * decides. Inviting answers a page with the link instead of a redirect, because the link is shown
 * once and must not travel in a URL.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { isAppError } from '../../errors/catalogue.ts';
import { appPath } from '../../views/pages/console/console-shell.tsx';
import {
  InvitationCreatedPage,
  type InviteMemberValues,
  MembersPage,
} from '../../views/pages/console/members-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';
import { actorOf, appIdOf, loadApp, noticeOf, saveOrRerender } from './console-helpers.ts';

function paramOf(request: FastifyRequest, name: 'accountId' | 'invitationId'): string {
  return (request.params as Record<string, string | undefined>)[name] ?? '';
}

function membersNotice(request: FastifyRequest): string | undefined {
  const done = (request.query as Record<string, string | undefined>).done;
  return done === 'invitation_revoked' ? request.t('invitations.revoked') : noticeOf(request);
}

export const membersRoutes: FastifyPluginAsync = async (app) => {
  const { apps, mailSignal } = app.services;

  app.get('/developers/apps/:appId/members', async (request, reply) => {
    const appId = appIdOf(request);
    const detail = await loadApp(request, appId);
    const invitations = await apps.listInvitations(actorOf(request), appId);
    const ctx = viewContext(request);
    return reply.page(
      MembersPage({
        ctx,
        app: detail,
        viewerId: request.account!.id,
        invitations,
        notice: membersNotice(request),
      }),
    );
  });

  app.post('/developers/apps/:appId/members', async (request, reply) => {
    const appId = appIdOf(request);
    const values: InviteMemberValues = {
      email: field(request.body, 'email'),
      role: field(request.body, 'role'),
    };
    try {
      const invitation = await apps.inviteMember(actorOf(request), appId, values, {
        locale: request.locale,
        siteUrl: app.config.issuer,
        mailCommitted: () => mailSignal.committed(),
      });
      const detail = await loadApp(request, appId);
      return reply.page(InvitationCreatedPage({ ctx: viewContext(request), app: detail, invitation }));
    } catch (err) {
      if (!isAppError(err) || err.code !== 'validation_failed') throw err;
      const detail = await loadApp(request, appId);
      const invitations = await apps.listInvitations(actorOf(request), appId);
      const page = MembersPage({
        ctx: viewContext(request),
        app: detail,
        viewerId: request.account!.id,
        invitations,
        values,
        issues: err.issues,
      });
      return reply.page(page, err.status);
    }
  });

  app.post('/developers/apps/:appId/members/invitations/:invitationId/revoke', async (request, reply) => {
    const appId = appIdOf(request);
    await apps.revokeInvitation(actorOf(request), appId, paramOf(request, 'invitationId'));
    return reply.redirect(`${appPath(appId, 'members')}?done=invitation_revoked`, 303);
  });

  app.post('/developers/apps/:appId/members/:accountId/role', async (request, reply) => {
    const appId = appIdOf(request);
    const invitations = await apps.listInvitations(actorOf(request), appId);
    return saveOrRerender(request, reply, {
      appId,
      section: 'members',
      save: () =>
        apps.changeMemberRole(
          actorOf(request),
          appId,
          paramOf(request, 'accountId'),
          field(request.body, 'role'),
        ),
      page: (ctx, detail, issues, message) =>
        MembersPage({ ctx, app: detail, viewerId: request.account!.id, invitations, issues, message }),
    });
  });

  app.post('/developers/apps/:appId/members/:accountId/remove', async (request, reply) => {
    const appId = appIdOf(request);
    const accountId = paramOf(request, 'accountId');
    const leaving = accountId === request.account!.id;
    const invitations = await apps.listInvitations(actorOf(request), appId);
    return saveOrRerender(request, reply, {
      appId,
      section: 'members',
      done: 'member_removed',
      save: () => apps.removeMember(actorOf(request), appId, accountId),
      page: (ctx, detail, issues, message) =>
        MembersPage({ ctx, app: detail, viewerId: request.account!.id, invitations, issues, message }),
      // Someone who removed themselves can no longer see the app: back to the list.
      location: leaving ? '/developers' : undefined,
    });
  });
};
