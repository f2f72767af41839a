/**
 * The error handler: one catalogue; HTML for browsers, JSON for APIs; a 5xx never
 * shows internals but carries the request id; validation errors list their field issues.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { validationError } from '../../src/errors/catalogue.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

const SECRET = 'db password is hunter2';

/** Test-only routes, registered before the app is ready. */
function testRoutes(app: FastifyInstance): void {
  app.get('/test/boom', async () => {
    throw new Error(SECRET);
  });
  app.get('/api/test/boom', async () => {
    throw new TypeError(SECRET);
  });
  app.post('/api/test/validated', {
    schema: {
      body: Type.Object({ email: Type.String({ minLength: 3 }), age: Type.Integer({ minimum: 0 }) }),
    },
    handler: async () => ({ ok: true }),
  });
  app.post('/api/test/rules', async () => {
    throw validationError([{ field: 'nickname', message: 'validation.too_long', params: { max: 40 } }]);
  });
}

function assertNoLeak(body: string): void {
  assert.doesNotMatch(body, /hunter2/);
  assert.doesNotMatch(body, /TypeError|Error:/);
  assert.doesNotMatch(body, /\bat .*\.(ts|js):\d+/, 'no stack frames');
  assert.doesNotMatch(body, /\/work\/|node_modules|src\//, 'no file paths');
}

describe('error handler', () => {
  it('answers an unknown page with a 404 HTML page to browsers', async (t) => {
    const { app } = await buildTestApp(t);
    const res = await app.inject({
      url: '/no/such/page',
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-language': 'en' },
    });
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, /We could not find that page/);
    assert.match(res.body, /<a href="\/">/);
  });

  it('answers unknown routes with JSON {error:{code:"not_found"}} to API clients', async (t) => {
    const { app } = await buildTestApp(t);
    for (const req of [
      { url: '/no/such/thing', headers: { accept: 'application/json' } },
      { url: '/no/such/thing', headers: {} },
      { url: '/api/nothing', headers: { accept: 'text/html' } },
      { url: '/no/such/thing', method: 'POST' as const, headers: { accept: 'application/json' } },
    ]) {
      const res = await app.inject(req);
      assert.equal(res.statusCode, 404, req.url);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.equal(res.json().error.code, 'not_found');
      assert.equal(typeof res.json().error.message, 'string');
    }
  });

  it('turns an unexpected exception into a 500 page with a reference and no internals', async (t) => {
    const { app } = await buildTestApp(t, { setup: testRoutes });
    const res = await app.inject({
      url: '/test/boom',
      headers: { accept: 'text/html', 'accept-language': 'en', 'x-request-id': 'req-boom-1' },
    });
    assert.equal(res.statusCode, 500);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, /An unexpected error occurred/);
    assert.match(res.body, /Reference: req-boom-1/);
    assert.equal(res.headers['x-request-id'], 'req-boom-1');
    assertNoLeak(res.body);
  });

  it('turns an unexpected exception into a 500 JSON error with the request id and no internals', async (t) => {
    const { app } = await buildTestApp(t, { setup: testRoutes });
    const res = await app.inject({ url: '/api/test/boom', headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 500);
    const { error } = res.json();
    assert.equal(error.code, 'internal');
    assert.equal(error.request_id, res.headers['x-request-id']);
    assert.ok(error.request_id);
    assertNoLeak(res.body);
  });

  it('lists field issues in JSON validation errors from a route schema', async (t) => {
    const { app } = await buildTestApp(t, { setup: testRoutes });
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/validated',
      headers: { 'accept-language': 'en' },
      payload: { email: 'x', age: -1 },
    });
    assert.equal(res.statusCode, 400);
    const { error } = res.json();
    assert.equal(error.code, 'validation_failed');
    assert.ok(Array.isArray(error.issues) && error.issues.length >= 1, 'issues are listed');
    for (const issue of error.issues) {
      assert.ok(['email', 'age'].includes(issue.field), `field ${issue.field}`);
      assert.equal(typeof issue.message, 'string');
      assert.doesNotMatch(issue.message, /^validation\./, 'messages are translated');
    }
    const missing = await app.inject({ method: 'POST', url: '/api/test/validated', payload: { age: 3 } });
    assert.deepEqual(
      missing.json().error.issues.map((i: { field: string }) => i.field),
      ['email'],
    );
  });

  it('lists field issues from domain validation, translated', async (t) => {
    const { app } = await buildTestApp(t, { setup: testRoutes });
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/rules',
      headers: { 'accept-language': 'en' },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().error.issues, [{ field: 'nickname', message: 'Use at most 40 characters.' }]);
    assert.equal(res.json().error.request_id, undefined, '4xx need no reference');
  });

  it('answers malformed JSON with 400 bad_request', async (t) => {
    const { app } = await buildTestApp(t, { setup: testRoutes });
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/validated',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'bad_request');
  });
});
