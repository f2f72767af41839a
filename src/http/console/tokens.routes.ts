/**
 * `/developers/tokens`: the signed-in developer's tokens for the management API. The same
 * service methods as `/api/v1/tokens` and `yeon token create`, so a token made here is the same
 * kind of token, listed and revoked the same way everywhere.
 */
import type { FastifyPluginAsync } from 'fastify';
import { AppError, isAppError } from '../../errors/catalogue.ts';
import { NEVER, TOKENS_PATH, TokensPage } from '../../views/pages/console/tokens-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';
import { actorOf } from './console-helpers.ts';

/**
 * The expiry select's value as the service takes it: "never" is null, digits are a number of
 * days, and no value at all is the service's default. Anything else goes on as it is, so the
 * service refuses it with its own issue.
 */
function expiryFromForm(value: string): unknown {
  if (value === '') return undefined;
  if (value === NEVER) return null;
  return /^\d{1,4}$/.test(value) ? Number(value) : value;
}

export const tokensRoutes: FastifyPluginAsync = async (app) => {
  const tokens = app.services.developerTokens;
  const apiBase = app.config.issuer;

  app.get(TOKENS_PATH, async (request, reply) => {
    // Only this one notice exists here, so a crafted `?done=` cannot put other text on the page.
    const done = (request.query as Record<string, string | undefined>).done;
    return reply.page(
      TokensPage({
        ctx: viewContext(request),
        tokens: await tokens.listTokens(actorOf(request).accountId),
        apiBase,
        notice: done === 'revoked' ? request.t('tokens.revoked') : undefined,
      }),
    );
  });

  // Answered with the page itself, not a redirect: the token's value must not travel in a URL,
  // and it is shown this once (the page is `no-store`, so Back does not bring it from a cache).
  app.post(TOKENS_PATH, async (request, reply) => {
    const accountId = actorOf(request).accountId;
    const name = field(request.body, 'name');
    const expiry = field(request.body, 'expires_in_days');
    try {
      const created = await tokens.createToken(accountId, name, expiryFromForm(expiry));
      return reply.page(TokensPage({ ctx: viewContext(request), tokens: [], apiBase, created }));
    } catch (err) {
      if (!isAppError(err) || err.code !== 'validation_failed') throw err;
      // Shown again with what was typed and the issue; nothing was created.
      const list = await tokens.listTokens(accountId);
      return reply.page(
        TokensPage({
          ctx: viewContext(request),
          tokens: list,
          apiBase,
          values: { name, expires_in_days: expiry },
          issues: err.issues,
        }),
        err.status,
      );
    }
  });

  app.post(`${TOKENS_PATH}/:tokenId/revoke`, async (request, reply) => {
    const { tokenId } = request.params as { tokenId: string };
    // Another account's token answers exactly like an unknown one: not found.
    if (!(await tokens.revokeToken(actorOf(request).accountId, tokenId))) throw new AppError('not_found');
    return reply.redirect(`${TOKENS_PATH}?done=revoked`, 303);
  });
};
