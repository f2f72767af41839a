/** /api/v1/apps/:app_id/members: owners and admins manage members; owners manage owners. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorResponses } from './apps.routes.ts';
import { AppIdParams, Member, MemberBody, MemberParams, RoleBody } from './apps.schemas.ts';

const tags = ['members'];

export const appMemberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const apps = app.services.apps;

  app.post(
    '/apps/:app_id/members',
    {
      schema: {
        tags,
        summary: 'Add an existing account by email',
        params: AppIdParams,
        body: MemberBody,
        response: { 201: Member, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await apps.addMember(request.apiActor!, request.params.app_id, request.body)),
  );

  app.put(
    '/apps/:app_id/members/:account_id',
    {
      schema: {
        tags,
        summary: "Change a member's role",
        params: MemberParams,
        body: Type.Object({ role: RoleBody.properties.role }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { app_id, account_id } = request.params;
      await apps.changeMemberRole(request.apiActor!, app_id, account_id, request.body.role);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/apps/:app_id/members/:account_id',
    {
      schema: {
        tags,
        summary: 'Remove a member, or leave (your own account id)',
        params: MemberParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await apps.removeMember(request.apiActor!, request.params.app_id, request.params.account_id);
      return reply.code(204).send(null);
    },
  );
};
