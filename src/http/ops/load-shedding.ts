/**
 * Load shedding: while this instance is overloaded it answers 503 with Retry-After at once
 * (RFC 9110 §15.6.4) instead of queueing work it cannot finish in time, so a load balancer sends
 * the request to another instance and a client retries later. Two signals, from the configuration
 * (0 turns a check off), sampled once a second by @fastify/under-pressure:
 * - event-loop delay (YEON_MAX_EVENT_LOOP_DELAY_MS): every request on this instance is late by it
 *   (off by default: a loaded machine starting up lags that long without being overloaded);
 * - heap in use (YEON_MAX_HEAP_USED_MB): past it, garbage collection takes the CPU, then the
 *   process dies of out-of-memory.
 * A third bound lives with the work it protects: password hashes wait in a bounded queue
 * (modules/accounts/password.ts), and a login beyond it is refused `server_busy` at once.
 *
 * The refusal is AppError('server_busy'), so each surface answers in its own shape: a page in the
 * visitor's language, JSON, RFC 6749's `temporarily_unavailable`, or Kakao's -9798. /healthz and
 * /metrics are never shed (a busy process is alive, and its metrics say why); /readyz reports
 * itself not ready while shedding.
 */
import underPressure from '@fastify/under-pressure';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors/catalogue.ts';
import { RETRY_AFTER_SECONDS } from '../plugins/error-handler.plugin.ts';

const NEVER_SHED = new Set(['/healthz', '/readyz', '/metrics']);

const loadShedding: FastifyPluginAsync = async (app) => {
  const { maxEventLoopDelayMs, maxHeapUsedBytes } = app.config.shed;
  await app.register(underPressure, {
    maxEventLoopDelay: maxEventLoopDelayMs,
    maxHeapUsedBytes,
    retryAfter: RETRY_AFTER_SECONDS,
    pressureHandler: (request: FastifyRequest) => {
      if (NEVER_SHED.has(request.routeOptions.url ?? '')) return undefined;
      return Promise.reject(new AppError('server_busy', { retryAfterSeconds: RETRY_AFTER_SECONDS }));
    },
  });
};

export default fp(loadShedding, { name: 'load-shedding' });
