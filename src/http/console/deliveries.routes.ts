/**
 * The delivery log pages: GET the log (filter by state and user id, page with `before`);
 * POST redeliver one / all failed, pause, resume and the optional events. Every change is
 * CSRF-checked, goes through the notifications service (and so the apps policy), and answers
 * POST → 303 → GET with a notice. A refused change (e.g. events on the Kakao format) renders the
 * page again with the message, status 4xx, nothing saved.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type FieldIssue, isAppError } from '../../errors/catalogue.ts';
import {
  DELIVERY_STATES,
  DELIVERY_STATUSES,
  type DeliveryState,
} from '../../modules/notifications/notifications.types.ts';
import { appPath } from '../../views/pages/console/console-shell.tsx';
import {
  DeliveriesPage,
  type DeliveryFilterView,
  filterQuery,
} from '../../views/pages/console/deliveries-page.tsx';
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

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The log's filter from the query. `state` is the form's; `status` is kept for links made before
 * states existed (`?status=delivered`), `pending` meaning queued and retrying together. Unknown
 * values show the whole log; the user id is checked by the service.
 */
function filterOf(request: FastifyRequest): DeliveryFilterView {
  const q = request.query as Record<string, string | string[] | undefined>;
  const state = one(q.state);
  const status = one(q.status);
  const userId = one(q.user_id)?.trim().slice(0, 64) || undefined;
  if ((DELIVERY_STATES as readonly string[]).includes(state ?? ''))
    return { state: state as DeliveryState, userId };
  if (status === 'pending') return { status, userId };
  if ((DELIVERY_STATUSES as readonly string[]).includes(status ?? ''))
    return { state: status as DeliveryState, userId };
  return { userId };
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
    const filter = filterOf(request);
    const before = one(query(request).before);
    const list = (userId: string | undefined) =>
      notifications.listDeliveries(actor, appId, { ...filter, userId, before, limit: 25 });
    let issues = options.issues;
    let statusCode = options.status;
    const health = await notifications.getHealth(actor, appId);
    let page: Awaited<ReturnType<typeof list>>;
    try {
      page = await list(filter.userId);
    } catch (err) {
      // A user id that is not a number: say so at the field, and list without it.
      if (!isAppError(err) || err.code !== 'validation_failed') throw err;
      issues = [...(issues ?? []), ...(err.issues ?? [])];
      statusCode = err.status;
      page = await list(undefined);
    }
    return reply.page(
      DeliveriesPage({
        ctx: viewContext(request),
        app: detail,
        health,
        page,
        filter,
        paged: before !== undefined,
        notice: options.message ? undefined : noticeOf(request),
        message: options.message,
        issues,
      }),
      statusCode,
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
      // Back to the log as it was filtered (the form's action carries the filter).
      const keep = filterQuery(filterOf(request)).slice(1, -1);
      return done(reply, appId, 'redelivered', keep ? `&${keep}` : '');
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
