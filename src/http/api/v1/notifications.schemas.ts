/**
 * The delivery log's API contract: TypeBox schemas that Fastify validates and
 * serializes with and that @fastify/swagger publishes. Shapes mirror
 * src/modules/notifications/notifications.types.ts.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { OPTIONAL_EVENTS } from '../../../modules/notifications/events.ts';
import { DELIVERY_STATES, DELIVERY_STATUSES } from '../../../modules/notifications/notifications.types.ts';
import { AppIdParams } from './apps.schemas.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Millis = Type.Integer({ description: 'epoch milliseconds' });
const Status = Type.Union(
  DELIVERY_STATUSES.map((s) => Type.Literal(s)),
  { description: 'pending (due or retrying), delivered (a 2xx), failed (attempts used up)' },
);
const State = Type.Union(
  DELIVERY_STATES.map((s) => Type.Literal(s)),
  { description: 'queued (not tried yet), retrying (failed, tried again later), delivered, failed' },
);

export const NotificationParams = Type.Object({
  ...AppIdParams.properties,
  notification_id: Type.String({ maxLength: 64, description: 'also the `webhook-id` of every attempt' }),
});

export const DeliveryQuery = Type.Object({
  status: Type.Optional(Status),
  state: Type.Optional(State),
  user_id: Type.Optional(Type.Integer({ minimum: 0, description: 'the app user id (0: tests)' })),
  before: Type.Optional(Type.String({ maxLength: 64, description: '`next_cursor` of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
});

const Attempt = Type.Object({
  attempt: Type.Integer(),
  started_at: Millis,
  latency_ms: Type.Integer(),
  status_code: Nullable(Type.Integer()),
  error: Nullable(Type.String({ description: 'timeout, http_error, redirect, refused_destination, …' })),
  detail: Nullable(Type.String()),
  response_excerpt: Nullable(Type.String({ description: 'first characters of the answer, sanitised' })),
  remote_address: Nullable(Type.String()),
});

export const Delivery = Type.Object({
  id: Type.String(),
  event_type: Type.String({ description: 'user.unlinked, user.linked, user.scope_withdrawn' }),
  referrer_type: Nullable(Type.String()),
  app_user_id: Type.Integer(),
  status: Status,
  state: State,
  attempts: Type.Integer(),
  created_at: Millis,
  next_attempt_at: Nullable(Millis),
  delivered_at: Nullable(Millis),
  failed_at: Nullable(Millis),
  last_error: Nullable(Type.String()),
  is_test: Type.Boolean({ description: 'a "Send test notification" from the console or the API' }),
  deletion: Nullable(
    Type.Object({
      confirmation_code: Type.String(),
      status_url: Nullable(Type.String()),
      confirmed_at: Millis,
    }),
  ),
  attempt_log: Type.Array(Attempt),
});

export const DeliveryPage = Type.Object({
  items: Type.Array(Delivery),
  next_cursor: Nullable(Type.String()),
});

const Counts = Type.Object({ pending: Type.Integer(), delivered: Type.Integer(), failed: Type.Integer() });
const EventName = Type.Union(OPTIONAL_EVENTS.map((e) => Type.Literal(e)));

export const CallbackHealth = Type.Object({
  callback_url: Nullable(Type.String()),
  state: Type.Union([Type.Literal('active'), Type.Literal('paused')]),
  paused_reason: Nullable(
    Type.Union([Type.Literal('manual'), Type.Literal('gone'), Type.Literal('failing')], {
      description: 'manual; gone = the receiver answered 410; failing = no success for 5 days',
    }),
  ),
  paused_at: Nullable(Millis),
  failing_since: Nullable(Millis),
  last_success_at: Nullable(Millis),
  counts: Counts,
  retry_schedule_ms: Type.Array(Type.Integer(), {
    description: 'delays after each failed attempt (YEON_NOTIFY_SCHEDULE); then the notification fails',
  }),
  retry_jitter: Type.Number({ description: 'each delay is scaled by a random factor in [1 − j, 1 + j]' }),
  format: Type.Union([Type.Literal('kakao'), Type.Literal('json')]),
  events: Type.Array(EventName),
});

export const EventsBody = Type.Object({
  events: Type.Array(Type.String({ maxLength: 64 }), {
    maxItems: 10,
    description: `optional events besides unlinks (JSON format only): ${OPTIONAL_EVENTS.join(', ')}`,
  }),
});
export const EventsResult = Type.Object({ events: Type.Array(EventName) });
export const Requeued = Type.Object({ queued: Type.Integer({ description: 'notifications queued again' }) });
