/**
 * /metrics carries what a fleet is alerted on (deploy/prometheus/alerts.yml): the notification
 * queue's depth and how overdue its oldest due row is, the mail queue's depth, and on PostgreSQL
 * this instance's pool; read at scrape time, next to the request latency histogram.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { TEST_DB } from '../helpers/test-db.ts';
import { createCallbackApp, enqueueUnlinks } from '../notifications/helpers.ts';

function value(text: string, series: string): number {
  const m = new RegExp(`^${series} (\\S+)$`, 'm').exec(text);
  assert.ok(m, `${series} is exposed`);
  return Number(m[1]);
}

describe('GET /metrics for a fleet', () => {
  it('reports queue depths, the oldest overdue notification, the pool, and keeps the latency histogram', async (t) => {
    const { app } = await buildTestApp(t);
    const empty = (await app.inject({ url: '/metrics' })).body;
    assert.equal(value(empty, 'yeon_notifications_pending'), 0);
    assert.equal(value(empty, 'yeon_notifications_oldest_due_seconds'), 0);
    assert.equal(value(empty, 'yeon_mail_pending'), 0);

    const callbackApp = await createCallbackApp(app, 'http://127.0.0.1:9/unlink');
    // Three due twenty minutes ago, nobody delivering them (no dispatcher in this app)...
    await enqueueUnlinks(app.db, callbackApp.app_id, 3, Date.now() - 20 * 60_000);
    // ...and one waiting for its retry time: pending, but not overdue.
    await enqueueUnlinks(app.db, callbackApp.app_id, 1, Date.now() + 60 * 60_000);
    // A sign-up writes its confirmation mail to the outbox.
    await new Agent(app).signUp('metrics@example.com');

    const res = await app.inject({ url: '/metrics' });
    assert.equal(res.statusCode, 200);
    const text = res.body;
    assert.equal(value(text, 'yeon_notifications_pending'), 4);
    const age = value(text, 'yeon_notifications_oldest_due_seconds');
    assert.ok(age >= 20 * 60 && age < 60 * 60, `oldest due age ${age}`);
    assert.ok(value(text, 'yeon_mail_pending') >= 1);
    assert.match(text, /# TYPE yeon_http_request_duration_seconds histogram/);
    if (TEST_DB === 'postgres') {
      assert.ok(value(text, 'yeon_db_pool_in_use') >= 0);
      assert.ok(value(text, 'yeon_db_pool_idle') >= 1);
      assert.equal(value(text, 'yeon_db_pool_waiting'), 0);
    } else {
      assert.doesNotMatch(text, /yeon_db_pool_in_use \d/, 'SQLite has no pool');
    }
  });
});
