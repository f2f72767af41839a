/**
 * /api/v1/apps: create, list, read and delete apps, and replace each settings section.
 * Handlers are thin: schema → one service call → response. Each PUT answers with the app as it
 * now is, so a client sees what was saved.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { Actor } from '../../../modules/apps/apps.types.ts';
import {
  AppDetail,
  AppIdParams,
  AppList,
  BasicsBody,
  ConsentBody,
  CreateAppBody,
  CreatedApp,
  ErrorBody,
  IconBody,
  LoginBody,
  PlatformsBody,
  UnlinkBody,
} from './apps.schemas.ts';

export const errorResponses = { '4xx': ErrorBody, '5xx': ErrorBody };

export const appRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const apps = app.services.apps;
  const detail = { 200: AppDetail, ...errorResponses };

  app.get(
    '/apps',
    {
      schema: {
        tags: ['apps'],
        summary: 'Apps the caller belongs to',
        response: { 200: AppList, ...errorResponses },
      },
    },
    async (request) => ({ apps: await apps.listAppsForAccount(request.apiActor!) }),
  );

  app.post(
    '/apps',
    {
      schema: {
        tags: ['apps'],
        summary: 'Create an app (the caller becomes its owner); returns every credential once',
        body: CreateAppBody,
        response: { 201: CreatedApp, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await apps.createApp(request.apiActor!, request.body)),
  );

  app.get(
    '/apps/:app_id',
    {
      schema: { tags: ['apps'], summary: 'Everything about one app', params: AppIdParams, response: detail },
    },
    async (request) => apps.getAppDetail(request.apiActor!, request.params.app_id),
  );

  app.delete(
    '/apps/:app_id',
    {
      schema: {
        tags: ['apps'],
        summary: 'Delete an app (owners only)',
        description:
          'The app is gone at once: 404 here afterwards, its keys refused by OAuth and the Kakao API. ' +
          'Every linked user is unlinked; their unlink notifications (UNLINK_FROM_ADMIN) keep being ' +
          'delivered to the callback URL after this answer, with the admin key and signing secrets as they were.',
        params: AppIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await apps.deleteApp(request.apiActor!, request.params.app_id);
      return reply.code(204).send(null);
    },
  );

  /** PUT /apps/:app_id/<section>: replace one settings section, answer with the app as saved. */
  function putSection<B extends TSchema>(
    path: string,
    summary: string,
    body: B,
    update: (actor: Actor, appId: number, input: Static<B>) => Promise<void>,
  ) {
    app.put(
      `/apps/:app_id/${path}`,
      { schema: { tags: ['apps'], summary, params: AppIdParams, body, response: detail } },
      async (request) => {
        await update(request.apiActor!, request.params.app_id, request.body as Static<B>);
        return apps.getAppDetail(request.apiActor!, request.params.app_id);
      },
    );
  }
  putSection(
    'basics',
    'Name, company, description, privacy policy and terms URLs',
    BasicsBody,
    apps.updateBasics,
  );
  putSection(
    'login',
    'Switches (Kakao Login, OIDC, Require PKCE, Strict OAuth), redirect URIs, JavaScript origins',
    LoginBody,
    apps.updateLoginSettings,
  );
  putSection(
    'platforms',
    'Web site URLs, Android package, iOS bundle id',
    PlatformsBody,
    apps.updatePlatforms,
  );
  putSection(
    'unlink',
    'Unlink webhook: callback URL, method, state, format',
    UnlinkBody,
    apps.updateUnlinkSettings,
  );
  putSection(
    'consent-items',
    'Set consent items (future consents only; unlisted items keep their setting)',
    ConsentBody,
    (actor, appId, input) => apps.updateConsentItems(actor, appId, input.items),
  );

  app.put(
    '/apps/:app_id/icon',
    {
      schema: {
        tags: ['apps'],
        summary: 'Set the icon (PNG or JPEG, at most 1 MB)',
        params: AppIdParams,
        body: IconBody,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const bytes = Buffer.from(request.body.image_base64, 'base64');
      await apps.setIcon(request.apiActor!, request.params.app_id, { bytes });
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/apps/:app_id/icon',
    {
      schema: {
        tags: ['apps'],
        summary: 'Remove the icon',
        params: AppIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await apps.removeIcon(request.apiActor!, request.params.app_id);
      return reply.code(204).send(null);
    },
  );
};
