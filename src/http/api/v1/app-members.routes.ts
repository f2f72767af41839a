/**
 * /api/v1/apps/:app_id/members and /invitations: owners and admins manage members; owners manage
 * owners. Nobody is added directly: POST /invitations creates an invitation the person accepts on
 * its link (app-invitations.ts), answering the same whether or not the email has an account.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorResponses } from './apps.routes.ts';
import {
  AppIdParams,
  CreatedInvitation,
  InvitationBody,
  InvitationList,
  InvitationParams,
  MemberParams,
  RoleBody,
} from './apps.schemas.ts';

const tags = ['members'];

export const appMemberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { apps, mailSignal } = app.services;

  app.post(
    '/apps/:app_id/invitations',
    {
      schema: {
        tags,
        summary: 'Invite someone by email; they become a member when they accept on the link',
        params: AppIdParams,
        body: InvitationBody,
        response: { 201: CreatedInvitation, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await apps.inviteMember(request.apiActor!, request.params.app_id, request.body, {
        locale: request.locale,
        siteUrl: app.config.issuer,
        mailCommitted: () => mailSignal.committed(),
      });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/apps/:app_id/invitations',
    {
      schema: {
        tags,
        summary: 'Invitations waiting for an answer (empty for plain members)',
        params: AppIdParams,
        response: { 200: InvitationList, ...errorResponses },
      },
    },
    async (request) => ({
      invitations: await apps.listInvitations(request.apiActor!, request.params.app_id),
    }),
  );

  app.delete(
    '/apps/:app_id/invitations/:invitation_id',
    {
      schema: {
        tags,
        summary: 'Revoke a pending invitation; its link stops working',
        params: InvitationParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { app_id, invitation_id } = request.params;
      await apps.revokeInvitation(request.apiActor!, app_id, invitation_id);
      return reply.code(204).send(null);
    },
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
