/**
 * Operations endpoints and request tracing: /healthz, /readyz that follows the
 * database, Prometheus /metrics labelled by route pattern, x-request-id on every response, and
 * JSON logs that carry the request id.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { buildTestApp, TEST_SECRETS } from '../helpers/build-test-app.ts';
import { createTestDatabase, TEST_DB } from '../helpers/test-db.ts';

function testRoutes(app: FastifyInstance): void {
  app.get('/test/items/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.get('/test/boom', async () => {
    throw new Error('kaboom internals');
  });
}

describe('GET /healthz and /readyz', () => {
  it('are 200 while the database answers', async (t) => {
    const { app } = await buildTestApp(t);
    const health = await app.inject({ url: '/healthz' });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(health.json(), { status: 'ok' });
    const ready = await app.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', database: TEST_DB });
  });

  it('makes /readyz 503 (and /healthz still 200) once the database is gone', async (t) => {
    const testDb = await createTestDatabase();
    const config = { ...loadConfig({ YEON_ENV: 'test' }), database: testDb.config };
    const db = createDb(config.database);
    await migrateToLatest(db);
    const app = await buildApp({ config, secrets: TEST_SECRETS, db, logger: false });
    t.after(async () => {
      await app.close();
      await testDb.drop();
    });
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
    await db.destroy();
    const ready = await app.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json(), { status: 'unavailable', database: TEST_DB });
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
  });
});

describe('GET /metrics', () => {
  it('exposes request durations labelled by route pattern, never by raw URL', async (t) => {
    const { app } = await buildTestApp(t, { setup: testRoutes });
    await app.inject({ url: '/test/items/42' });
    await app.inject({ url: '/test/items/43?secret=abc' });
    await app.inject({ url: '/no/such/page/12345' });
    await app.inject({ url: '/login', headers: { accept: 'text/html' } });
    const res = await app.inject({ url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    const text = res.body;
    assert.match(text, /# TYPE yeon_http_request_duration_seconds histogram/);
    assert.match(
      text,
      /yeon_http_request_duration_seconds_count\{method="GET",route="\/test\/items\/:id",status="200"\} 2/,
    );
    assert.match(
      text,
      /yeon_http_request_duration_seconds_count\{method="GET",route="\/login",status="200"\} 1/,
    );
    assert.match(text, /route="unmatched",status="404"/);
    assert.doesNotMatch(text, /items\/42|items\/43|secret=abc|12345/);
    assert.match(text, /yeon_process_cpu_seconds_total/, 'default process metrics');
  });

  it('is off with YEON_METRICS=false', async (t) => {
    const { app } = await buildTestApp(t, { env: { YEON_METRICS: 'false' } });
    assert.equal((await app.inject({ url: '/metrics' })).statusCode, 404);
  });
});

describe('request ids', () => {
  it('are on every response, echoed when the caller sends a sane one', async (t) => {
    const { app } = await buildTestApp(t, { setup: testRoutes });
    const requests = [
      { url: '/healthz' },
      { url: '/readyz' },
      { url: '/metrics' },
      { url: '/assets/yeon.css' },
      { url: '/login', headers: { accept: 'text/html' } },
      { url: '/nope' },
      { url: '/test/boom' },
      { url: '/login', method: 'POST' as const, payload: {} },
    ];
    const seen = new Set<string>();
    for (const req of requests) {
      const res = await app.inject(req);
      const id = res.headers['x-request-id'];
      assert.ok(typeof id === 'string' && id.length >= 8, `${req.url} has x-request-id`);
      seen.add(id);
    }
    assert.equal(seen.size, requests.length, 'ids are unique');

    const echoed = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-trace.42' } });
    assert.equal(echoed.headers['x-request-id'], 'lb-trace.42');
    const refused = await app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\u0001<script>' },
    });
    assert.match(String(refused.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('appear in the JSON logs, with the cause of a 500 logged but not sent', async (t) => {
    const lines: string[] = [];
    const { app } = await buildTestApp(t, {
      setup: testRoutes,
      logStream: { write: (l) => void lines.push(l) },
    });
    await app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-ok-1' } });
    const boom = await app.inject({ url: '/test/boom', headers: { 'x-request-id': 'trace-boom-1' } });
    assert.doesNotMatch(boom.body, /kaboom/);

    const logs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const ok = logs.filter((l) => l.reqId === 'trace-ok-1');
    assert.ok(
      ok.some((l) => l.msg === 'request completed'),
      'the request is logged with its id',
    );
    assert.ok(ok.every((l) => typeof l.time === 'number' && typeof l.level === 'number'));
    const failed = logs.find((l) => l.reqId === 'trace-boom-1' && l.level === 50);
    assert.ok(failed, 'the 500 is logged at error level with its request id');
    assert.match(JSON.stringify(failed.err), /kaboom internals/);
  });
});
