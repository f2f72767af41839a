/**
 * The JSON management API in its own encapsulated scope:
 * - its own JSON body parser and nothing else (no form parsing; other content types get 415);
 * - `Authorization: Bearer yeon_dt_…` developer tokens, never cookies (so no CSRF surface);
 * - schema errors reported as field issues in the standard `{error: {code, message, issues}}`;
 * - OpenAPI 3 generated from the route schemas, served at /docs/json and browsable at /docs.
 *
 * Swagger UI's page loads only its own same-origin scripts and styles, so it runs under the
 * site-wide CSP (`script-src 'self'`, `style-src 'self'`) unchanged: no `staticCSP` override, no
 * inline script or style (test/browser/api-docs.test.ts checks Chromium reports no violation).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldIssue } from '../../errors/catalogue.ts';
import type { Actor } from '../../modules/apps/apps.types.ts';
import { appCredentialRoutes } from './v1/app-credentials.routes.ts';
import { appMemberRoutes } from './v1/app-members.routes.ts';
import { appRoutes } from './v1/apps.routes.ts';
import { notificationRoutes } from './v1/notifications.routes.ts';
import { tokenRoutes } from './v1/tokens.routes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The account a developer token acts for; set on every /api/v1 request that reaches a handler. */
    apiActor?: Actor;
  }
}

/** Largest JSON body: an icon of 1 MB is ~1.37 MB as base64. */
const API_BODY_LIMIT = 1_500_000;

/** Guard for the whole /api/v1 scope (RFC 6750 §3). @throws AppError('unauthenticated') */
async function requireDeveloperToken(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const identity = match ? await request.server.services.developerTokens.authenticate(match[1]!) : undefined;
  if (!identity) {
    reply.header('www-authenticate', match ? 'Bearer error="invalid_token"' : 'Bearer');
    throw new AppError('unauthenticated');
  }
  request.apiActor = { accountId: identity.accountId };
}

/** Ajv errors → our field issues: `/redirect_uris/0` → `redirect_uris`. */
function schemaIssues(
  errors: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }>,
  dataVar: string,
): FieldIssue[] {
  return errors.map((e) => {
    const missing = typeof e.params?.missingProperty === 'string' ? `/${e.params.missingProperty}` : '';
    const path = `${e.instancePath}${missing}`.split('/').filter((p) => p && !/^\d+$/.test(p));
    return {
      field: path.join('.') || dataVar,
      message: missing ? 'validation.required' : 'apps.validation.schema',
      params: { detail: e.message ?? 'invalid' },
    };
  });
}

export const managementApi: FastifyPluginAsync = async (api) => {
  api.removeAllContentTypeParsers();
  api.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: API_BODY_LIMIT },
    api.getDefaultJsonParser('error', 'error'),
  );
  api.setSchemaErrorFormatter(
    (errors, dataVar) => new AppError('validation_failed', { issues: schemaIssues(errors, dataVar) }),
  );

  await api.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: `${api.config.platformName} management API`,
        version: '1',
        description:
          'Manage apps (keys, login settings, consent items, platforms, unlink webhook, members). ' +
          'Authenticate with a developer token: `Authorization: Bearer yeon_dt_…` ' +
          '(create one in the console at /developers/tokens or with `yeon token create --owner EMAIL --json`).',
      },
      servers: [{ url: api.config.issuer }],
      components: { securitySchemes: { developerToken: { type: 'http', scheme: 'bearer' } } },
      security: [{ developerToken: [] }],
      tags: [
        { name: 'apps', description: 'Apps and their settings' },
        { name: 'credentials', description: 'Admin keys, client secret, webhook secrets' },
        { name: 'members', description: 'Who may manage an app' },
        {
          name: 'notifications',
          description: 'Unlink notifications: delivery log, redelivery, callback state',
        },
        { name: 'tokens', description: 'Developer tokens of the calling account' },
      ],
    },
  });
  // BaseLayout: the standalone top bar's logo is an SVG with an inline <style>, which the CSP
  // (rightly) blocks; without the bar nothing inline is left.
  await api.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { layout: 'BaseLayout', validatorUrl: null },
    theme: { title: `${api.config.platformName} management API` },
  });

  await api.register(
    async (v1) => {
      v1.decorateRequest('apiActor', undefined);
      v1.addHook('onRequest', async (request, reply) => {
        reply.header('cache-control', 'no-store');
        await requireDeveloperToken(request, reply);
      });
      await v1.register(appRoutes);
      await v1.register(appCredentialRoutes);
      await v1.register(appMemberRoutes);
      await v1.register(notificationRoutes);
      await v1.register(tokenRoutes);
    },
    { prefix: '/api/v1' },
  );
};
