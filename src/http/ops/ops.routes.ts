/**
 * Operations endpoints: liveness, readiness (the database answers) and Prometheus
 * metrics. Each app has its own registry so that tests can build many apps in one process.
 * Wrapped with fastify-plugin: the timing hook must see every route of the app, not only the
 * routes of this plugin's own scope.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { fleetGauges } from './fleet-gauges.ts';
import loadShedding from './load-shedding.ts';

const ops: FastifyPluginAsync = async (app) => {
  await app.register(loadShedding);
  app.get('/healthz', async () => ({ status: 'ok' }));

  // Ready = worth sending traffic to: the database answers and this instance is not shedding load.
  app.get('/readyz', async (request, reply) => {
    if (app.isUnderPressure()) return reply.code(503).send({ status: 'busy', database: app.dbKind });
    try {
      await sql`select 1`.execute(app.db);
      return { status: 'ready', database: app.dbKind };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', database: app.dbKind });
    }
  });

  if (!app.config.metrics) return;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'yeon_' });
  const duration = new Histogram({
    name: 'yeon_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const refreshGauges = fleetGauges(registry, app.db, () => app.services.clock.now());
  app.decorate('metrics', registry);
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: unbounded label values would grow memory without limit.
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  // Metrics name routes, volumes and the runtime: with a token set, only its holder reads them.
  const expected = app.config.metricsToken ? Buffer.from(`Bearer ${app.config.metricsToken}`) : undefined;
  app.get('/metrics', async (request, reply) => {
    if (expected) {
      const given = Buffer.from(request.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return reply.code(401).header('www-authenticate', 'Bearer').send({ code: 'unauthenticated' });
    }
    // A scrape while the database is away still answers, with the last queue values.
    await refreshGauges().catch((err) => request.log.warn({ err }, 'queue gauges not refreshed'));
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
};

export const opsRoutes = fp(ops, { name: 'ops' });

declare module 'fastify' {
  interface FastifyInstance {
    metrics?: Registry;
  }
}
