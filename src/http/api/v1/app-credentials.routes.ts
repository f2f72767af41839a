/**
 * /api/v1/apps/:app_id credentials: admin key rotation and revocation, client
 * secret on/off and regeneration, webhook secret rotation, and the test notification.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { hasMessage } from '../../../i18n/index.ts';
import { errorResponses } from './apps.routes.ts';
import {
  AdminKey,
  AppIdParams,
  ClientSecret,
  ClientSecretBody,
  ClientSecretState,
  KeyParams,
  TestNotificationResult,
  WebhookSecret,
} from './apps.schemas.ts';

const tags = ['credentials'];

export const appCredentialRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const apps = app.services.apps;

  app.post(
    '/apps/:app_id/admin-keys',
    {
      schema: {
        tags,
        summary: 'Add a new admin key; older keys keep working until revoked',
        params: AppIdParams,
        response: { 201: AdminKey, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await apps.rotateAdminKey(request.apiActor!, request.params.app_id)),
  );

  app.delete(
    '/apps/:app_id/admin-keys/:key_id',
    {
      schema: {
        tags,
        summary: 'Revoke an admin key (the last one cannot be revoked)',
        params: KeyParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await apps.revokeAdminKey(request.apiActor!, request.params.app_id, request.params.key_id);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/apps/:app_id/client-secret',
    {
      schema: {
        tags,
        summary: 'Turn the client secret on or off (off = public client, any secret accepted)',
        params: AppIdParams,
        body: ClientSecretBody,
        response: { 200: ClientSecretState, ...errorResponses },
      },
    },
    async (request) => {
      await apps.setClientSecretEnabled(request.apiActor!, request.params.app_id, request.body.enabled);
      return { enabled: request.body.enabled };
    },
  );

  app.post(
    '/apps/:app_id/client-secret/regenerate',
    {
      schema: {
        tags,
        summary: 'Replace the client secret (the old one stops working at once)',
        params: AppIdParams,
        response: { 200: ClientSecret, ...errorResponses },
      },
    },
    async (request) => ({
      client_secret: await apps.regenerateClientSecret(request.apiActor!, request.params.app_id),
    }),
  );

  app.post(
    '/apps/:app_id/webhook-secrets/rotate',
    {
      schema: {
        tags,
        summary: 'New webhook signing secret; the previous one keeps signing during the overlap window',
        params: AppIdParams,
        response: { 200: WebhookSecret, ...errorResponses },
      },
    },
    async (request) => apps.rotateWebhookSecret(request.apiActor!, request.params.app_id),
  );

  app.post(
    '/apps/:app_id/unlink/test',
    {
      schema: {
        tags,
        summary: 'Send a test unlink notification to the callback URL and report the result',
        params: AppIdParams,
        response: { 200: TestNotificationResult, ...errorResponses },
      },
    },
    async (request) => {
      const result = await apps.sendTestNotification(request.apiActor!, request.params.app_id);
      // Refusals come as i18n keys; delivery failures as codes (timeout, http_error, …).
      const { error, error_params, ...rest } = result;
      return {
        ...rest,
        ...(error ? { error: hasMessage(error) ? request.t(error, error_params) : error } : {}),
      };
    },
  );
};
