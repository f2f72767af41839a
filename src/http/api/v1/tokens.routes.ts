/** /api/v1/tokens: the calling account's developer tokens. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../../errors/catalogue.ts';
import { errorResponses } from './apps.routes.ts';
import { CreatedToken, TokenBody, TokenList, TokenParams } from './tokens.schemas.ts';

const tags = ['tokens'];

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tokens = app.services.developerTokens;

  app.get(
    '/tokens',
    { schema: { tags, summary: 'Live developer tokens', response: { 200: TokenList, ...errorResponses } } },
    async (request) => ({ tokens: await tokens.listTokens(request.apiActor!.accountId) }),
  );

  app.post(
    '/tokens',
    {
      schema: {
        tags,
        summary: 'Create a developer token (shown once), expiring in 30, 90 (default) or 365 days, or never',
        body: Type.Optional(TokenBody),
        response: { 201: CreatedToken, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await tokens.createToken(
            request.apiActor!.accountId,
            request.body?.name,
            request.body?.expires_in_days,
          ),
        ),
  );

  app.delete(
    '/tokens/:token_id',
    {
      schema: {
        tags,
        summary: 'Revoke a developer token',
        params: TokenParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await tokens.revokeToken(request.apiActor!.accountId, request.params.token_id)))
        throw new AppError('not_found');
      return reply.code(204).send(null);
    },
  );
};
