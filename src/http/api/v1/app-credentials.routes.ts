/**
 * /api/v1/apps/:app_id credentials: the working keys, reissuing a key with an overlap and stopping
 * a replaced key early (app-key-rotation.ts), admin key rotation and revocation, client
 * secret on/off and regeneration, webhook secret rotation, and the test notification.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { hasMessage } from '../../../i18n/index.ts';
import { KEY_OVERLAPS, ROTATABLE_KEY_KINDS } from '../../../modules/apps/app-keys.types.ts';
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

const KeyKind = Type.Union([
  Type.Literal('rest_api'),
  Type.Literal('javascript'),
  Type.Literal('native'),
  Type.Literal('admin'),
]);
const RotatableKind = Type.Union(ROTATABLE_KEY_KINDS.map((k) => Type.Literal(k)));
const RotateBody = Type.Object({
  kind: RotatableKind,
  overlap: Type.Optional(
    Type.Union(
      Object.keys(KEY_OVERLAPS).map((o) => Type.Literal(o)),
      { description: 'how long the replaced key keeps working: now, 1h, 24h (default) or 7d' },
    ),
  ),
});
const WorkingKeySchema = Type.Object({
  id: Type.String(),
  kind: KeyKind,
  key: Type.Union([Type.String(), Type.Null()], { description: 'null: an admin key, for plain members' }),
  created_at: Type.Integer(),
  expires_at: Type.Union([Type.Integer(), Type.Null()], {
    description: 'null for a current key; epoch ms when a replaced key stops',
  }),
});
const RotatedKeySchema = Type.Object({
  id: Type.String(),
  kind: RotatableKind,
  key: Type.String(),
  created_at: Type.Integer(),
  previous_expires_at: Type.Integer({ description: 'epoch ms when the replaced keys stop' }),
});

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

  app.get(
    '/apps/:app_id/keys',
    {
      schema: {
        tags,
        summary: 'Working keys: current ones, then reissued ones still in their overlap (expires_at set)',
        params: AppIdParams,
        response: { 200: Type.Object({ keys: Type.Array(WorkingKeySchema) }), ...errorResponses },
      },
    },
    async (request) => ({ keys: await apps.listAppKeys(request.apiActor!, request.params.app_id) }),
  );

  app.post(
    '/apps/:app_id/keys/rotate',
    {
      schema: {
        tags,
        summary:
          'Reissue the REST API, JavaScript or admin key; the replaced key keeps working until the overlap ends (default 24h)',
        params: AppIdParams,
        body: RotateBody,
        response: { 201: RotatedKeySchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await apps.rotateAppKey(request.apiActor!, request.params.app_id, request.body)),
  );

  app.post(
    '/apps/:app_id/keys/:key_id/stop',
    {
      schema: {
        tags,
        summary: 'Stop a replaced key now, before its overlap ends (current keys are replaced by reissuing)',
        params: KeyParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await apps.stopPreviousKey(request.apiActor!, request.params.app_id, request.params.key_id);
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
