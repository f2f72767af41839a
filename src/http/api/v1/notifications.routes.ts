/**
 * /api/v1/apps/:app_id notifications: the delivery log with every attempt,
 * redelivery of failed notifications, the callback's health, pause/resume and optional events.
 * Members read; owners and admins act (the notifications service asks the apps policy).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from './apps.routes.ts';
import { AppIdParams } from './apps.schemas.ts';
import {
  CallbackHealth,
  Delivery,
  DeliveryPage,
  DeliveryQuery,
  EventsBody,
  EventsResult,
  NotificationParams,
  Requeued,
} from './notifications.schemas.ts';

const tags = ['notifications'];

export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { notifications } = app.services;
  const health = { 200: CallbackHealth, ...errorResponses };

  app.get(
    '/apps/:app_id/notifications',
    {
      schema: {
        tags,
        summary: 'Delivery log, newest first, with every attempt',
        params: AppIdParams,
        querystring: DeliveryQuery,
        response: { 200: DeliveryPage, ...errorResponses },
      },
    },
    async (request) => {
      const { user_id, ...filter } = request.query;
      return notifications.listDeliveries(request.apiActor!, request.params.app_id, {
        ...filter,
        userId: user_id,
      });
    },
  );

  app.get(
    '/apps/:app_id/notifications/:notification_id',
    {
      schema: {
        tags,
        summary: 'One notification with every attempt',
        params: NotificationParams,
        response: { 200: Delivery, ...errorResponses },
      },
    },
    async (request) =>
      notifications.getDelivery(request.apiActor!, request.params.app_id, request.params.notification_id),
  );

  app.post(
    '/apps/:app_id/notifications/:notification_id/redeliver',
    {
      schema: {
        tags,
        summary: 'Send a failed notification once more (409 notification_not_failed otherwise)',
        params: NotificationParams,
        response: { 202: Delivery, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { app_id, notification_id } = request.params;
      await notifications.redeliver(request.apiActor!, app_id, notification_id);
      return reply
        .code(202)
        .send(await notifications.getDelivery(request.apiActor!, app_id, notification_id));
    },
  );

  app.post(
    '/apps/:app_id/notifications/redeliver-failed',
    {
      schema: {
        tags,
        summary: 'Send every failed notification of the app once more',
        params: AppIdParams,
        response: { 202: Requeued, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send({ queued: await notifications.redeliverAllFailed(request.apiActor!, request.params.app_id) }),
  );

  app.get(
    '/apps/:app_id/callback',
    {
      schema: {
        tags,
        summary: 'Callback state: paused or active (and why), failing since, counts, events',
        params: AppIdParams,
        response: health,
      },
    },
    async (request) => notifications.getHealth(request.apiActor!, request.params.app_id),
  );

  app.post(
    '/apps/:app_id/callback/pause',
    {
      schema: {
        tags,
        summary: 'Pause deliveries (notifications wait)',
        params: AppIdParams,
        response: health,
      },
    },
    async (request) => {
      await notifications.pause(request.apiActor!, request.params.app_id);
      return notifications.getHealth(request.apiActor!, request.params.app_id);
    },
  );

  app.post(
    '/apps/:app_id/callback/resume',
    {
      schema: {
        tags,
        summary: 'Resume deliveries; the waiting backlog goes out at once',
        params: AppIdParams,
        response: health,
      },
    },
    async (request) => {
      await notifications.resume(request.apiActor!, request.params.app_id);
      return notifications.getHealth(request.apiActor!, request.params.app_id);
    },
  );

  app.put(
    '/apps/:app_id/callback/events',
    {
      schema: {
        tags,
        summary: 'Optional events besides unlinks (JSON format only)',
        params: AppIdParams,
        body: EventsBody,
        response: { 200: EventsResult, ...errorResponses },
      },
    },
    async (request) => ({
      events: await notifications.setEvents(request.apiActor!, request.params.app_id, request.body.events),
    }),
  );
};
