/**
 * The delivery log pages: GET the log (filter by status, page with `before`);
 * POST redeliver one / all failed, pause, resume and the optional events. Every change is
 * CSRF-checked, goes through the notifications service (and so the apps policy), and answers
 * POST → 303 → GET with a notice. A refused change (e.g. events on the Kakao format) renders the
 * page again with the message, status 4xx, nothing saved.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type FieldIssue, isAppError } from '../../errors/catalogue.ts';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../modules/notifications/notifications.types.ts';
import { appPath } from '../../views/pages/console/console-shell.tsx';
import { DeliveriesPage } from '../../views/pages/console/deliveries-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { fields } from '../form-fields.ts';
import { actorOf, appIdOf, loadApp } from './console-helpers.ts';

/** Notices a redirect may name; only these are shown, so a crafted link cannot add text. */
const NOTICES = {
  redelivered: 'deliveries.notice.redelivered',
  redelivered_all: 'deliveries.notice.redelivered_all',
  paused: 'deliveries.notice.paused',
  resumed: 'deliveries.notice.resumed',
  events_saved: 'deliveries.notice.events_saved',
} as const;
type Notice = keyof typeof NOTICES;

function query(request: FastifyRequest): Record<string, string | undefined> {
  return request.query as Record<string, string | undefined>;
}

function statusOf(request: FastifyRequest): DeliveryStatus | undefined {
  const s = query(request).status;
  return (DELIVERY_STATUSES as readonly string[]).includes(s ?? '') ? (s as DeliveryStatus) : undefined;
}

function noticeOf(request: FastifyRequest): string | undefined {
  const q = query(request);
  const code = q.done;
  if (!code || !Object.hasOwn(NOTICES, code)) return undefined;
  const count = Number(q.count);
  return request.t(NOTICES[code as Notice], { count: Number.isSafeInteger(count) ? count : 0 });
}

function done(reply: FastifyReply, appId: number, notice: Notice, extra = ''): FastifyReply {
  return reply.redirect(`${appPath(appId, 'deliveries')}?done=${notice}${extra}`, 303);
}

export const deliveriesRoutes: FastifyPluginAsync = async (app) => {
  const { notifications } = app.services;

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { status?: number; message?: string; issues?: FieldIssue[] } = {},
  ) {
    const appId = appIdOf(request);
    const actor = actorOf(request);
    const detail = await loadApp(request, appId);
    const status = statusOf(request);
    const before = query(request).before;
    const [health, page] = await Promise.all([
      notifications.getHealth(actor, appId),
      notifications.listDeliveries(actor, appId, { status, before, limit: 25 }),
    ]);
    return reply.page(
      DeliveriesPage({
        ctx: viewContext(request),
        app: detail,
        health,
        page,
        status,
        paged: before !== undefined,
        notice: options.message ? undefined : noticeOf(request),
        message: options.message,
        issues: options.issues,
      }),
      options.status,
    );
  }

  /** Runs a change; input errors re-render the page (4xx), access errors go to the error page. */
  async function act(request: FastifyRequest, reply: FastifyReply, change: () => Promise<FastifyReply>) {
    try {
      return await change();
    } catch (err) {
      if (!isAppError(err) || err.status >= 500 || [401, 403, 404].includes(err.status)) throw err;
      const message = err.code === 'validation_failed' ? undefined : request.t(err.messageKey, err.params);
      return render(request, reply, { status: err.status, message, issues: err.issues });
    }
  }

  app.get('/developers/apps/:appId/deliveries', (request, reply) => render(request, reply));

  app.post('/developers/apps/:appId/deliveries/:id/redeliver', (request, reply) =>
    act(request, reply, async () => {
      const appId = appIdOf(request);
      const { id } = request.params as { id: string };
      await notifications.redeliver(actorOf(request), appId, id);
      return done(reply, appId, 'redelivered');
    }),
  );

  app.post('/developers/apps/:appId/deliveries/redeliver-failed', (request, reply) =>
    act(request, reply, async () => {
      const appId = appIdOf(request);
      const count = await notifications.redeliverAllFailed(actorOf(request), appId);
      return done(reply, appId, 'redelivered_all', `&count=${count}`);
    }),
  );

  app.post('/developers/apps/:appId/deliveries/pause', (request, reply) =>
    act(request, reply, async () => {
      const appId = appIdOf(request);
      await notifications.pause(actorOf(request), appId);
      return done(reply, appId, 'paused');
    }),
  );

  app.post('/developers/apps/:appId/deliveries/resume', (request, reply) =>
    act(request, reply, async () => {
      const appId = appIdOf(request);
      await notifications.resume(actorOf(request), appId);
      return done(reply, appId, 'resumed');
    }),
  );

  app.post('/developers/apps/:appId/deliveries/events', (request, reply) =>
    act(request, reply, async () => {
      const appId = appIdOf(request);
      await notifications.setEvents(actorOf(request), appId, fields(request.body, 'events'));
      return done(reply, appId, 'events_saved');
    }),
  );
};
