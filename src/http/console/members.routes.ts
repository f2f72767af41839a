/** The members page: list, add by email, change role, remove. The policy decides. */
import type { FastifyPluginAsync } from 'fastify';
import { type AddMemberValues, MembersPage } from '../../views/pages/console/members-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';
import { actorOf, appIdOf, loadApp, noticeOf, saveOrRerender } from './console-helpers.ts';

function memberIdOf(params: unknown): string {
  return (params as { accountId?: string }).accountId ?? '';
}

export const membersRoutes: FastifyPluginAsync = async (app) => {
  const { apps } = app.services;

  app.get('/developers/apps/:appId/members', async (request, reply) => {
    const detail = await loadApp(request, appIdOf(request));
    const ctx = viewContext(request);
    return reply.page(
      MembersPage({ ctx, app: detail, viewerId: request.account!.id, notice: noticeOf(request) }),
    );
  });

  app.post('/developers/apps/:appId/members', async (request, reply) => {
    const appId = appIdOf(request);
    const values: AddMemberValues = {
      email: field(request.body, 'email'),
      role: field(request.body, 'role'),
    };
    return saveOrRerender(request, reply, {
      appId,
      section: 'members',
      done: 'member_added',
      save: () => apps.addMember(actorOf(request), appId, values),
      page: (ctx, detail, issues, message) =>
        MembersPage({ ctx, app: detail, viewerId: request.account!.id, values, issues, message }),
    });
  });

  app.post('/developers/apps/:appId/members/:accountId/role', async (request, reply) => {
    const appId = appIdOf(request);
    return saveOrRerender(request, reply, {
      appId,
      section: 'members',
      save: () =>
        apps.changeMemberRole(
          actorOf(request),
          appId,
          memberIdOf(request.params),
          field(request.body, 'role'),
        ),
      page: (ctx, detail, issues, message) =>
        MembersPage({ ctx, app: detail, viewerId: request.account!.id, issues, message }),
    });
  });

  app.post('/developers/apps/:appId/members/:accountId/remove', async (request, reply) => {
    const appId = appIdOf(request);
    const accountId = memberIdOf(request.params);
    const leaving = accountId === request.account!.id;
    return saveOrRerender(request, reply, {
      appId,
      section: 'members',
      done: 'member_removed',
      save: () => apps.removeMember(actorOf(request), appId, accountId),
      page: (ctx, detail, issues, message) =>
        MembersPage({ ctx, app: detail, viewerId: request.account!.id, issues, message }),
      // Someone who removed themselves can no longer see the app: back to the list.
      location: leaving ? '/developers' : undefined,
    });
  });
};
