/**
 * The delivery log in the JSON management API, through app.inject with developer
 * tokens: the log with attempts, redelivery, callback state with pause/resume and events, and
 * the policy as statuses (member 403 on changes, outsider 404).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fakeClock } from '../../src/lib/clock.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { joinByInvitation } from '../helpers/team.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import { createCallbackApp, enqueueUnlinks, insertAccount, testDispatcher } from './helpers.ts';

function client(app: FastifyInstance, token: string) {
  return (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
}

async function tokenFor(app: FastifyInstance, accountId: string) {
  return client(app, (await app.services.developerTokens.createToken(accountId)).token);
}

describe('/api/v1/apps/:app_id notifications', () => {
  it('shows the log with attempts, redelivers failed ones, pauses and resumes', async (t) => {
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const state = { status: 500 };
    const rx = await startReceiver(t, (_req, res) => res.writeHead(state.status).end('busy'));
    const created = await createCallbackApp(app, `${rx.url}/unlink`);
    const owner = await tokenFor(app, created.ownerId);
    const base = `/api/v1/apps/${created.app_id}`;
    const [id] = await enqueueUnlinks(app.db, created.app_id, 1, clock.now());
    const dispatcher = testDispatcher(app, clock, { schedule: [] });
    await dispatcher.tick();

    const list = await owner('GET', `${base}/notifications?status=failed`);
    assert.equal(list.statusCode, 200, list.body);
    const page = list.json() as { items: Array<Record<string, unknown>>; next_cursor: string | null };
    assert.equal(page.items.length, 1);
    assert.equal(page.next_cursor, null);
    const item = page.items[0] as { id: string; attempt_log: Array<Record<string, unknown>> };
    assert.equal(item.id, id);
    assert.deepEqual(
      { ...item.attempt_log[0], started_at: 0, latency_ms: 0 },
      {
        attempt: 1,
        started_at: 0,
        latency_ms: 0,
        status_code: 500,
        error: 'http_error',
        detail: 'HTTP 500',
        response_excerpt: 'busy',
        remote_address: '127.0.0.1',
      },
    );

    state.status = 200;
    const again = await owner('POST', `${base}/notifications/${id}/redeliver`);
    assert.equal(again.statusCode, 202, again.body);
    assert.equal((again.json() as { status: string }).status, 'pending');
    const twice = await owner('POST', `${base}/notifications/${id}/redeliver`);
    assert.equal(twice.statusCode, 409);
    assert.equal((twice.json() as { error: { code: string } }).error.code, 'notification_not_failed');
    await dispatcher.tick();
    const one = (await owner('GET', `${base}/notifications/${id}`)).json() as {
      status: string;
      attempts: number;
    };
    assert.deepEqual([one.status, one.attempts], ['delivered', 2]);
    assert.deepEqual((await owner('POST', `${base}/notifications/redeliver-failed`)).json(), { queued: 0 });

    const paused = (await owner('POST', `${base}/callback/pause`)).json() as {
      state: string;
      paused_reason: string;
    };
    assert.deepEqual([paused.state, paused.paused_reason], ['paused', 'manual']);
    const resumed = (await owner('POST', `${base}/callback/resume`)).json() as {
      state: string;
      counts: Record<string, number>;
    };
    assert.equal(resumed.state, 'active');
    assert.deepEqual(resumed.counts, { pending: 0, delivered: 1, failed: 0 });

    const kakaoEvents = await owner('PUT', `${base}/callback/events`, { events: ['user.linked'] });
    assert.equal(kakaoEvents.statusCode, 400, 'JSON format only');
    await owner('PUT', `${base}/unlink`, {
      callback_url: `${rx.url}/unlink`,
      method: 'POST',
      state: 'active',
      format: 'json',
    });
    const events = await owner('PUT', `${base}/callback/events`, { events: ['user.linked'] });
    assert.deepEqual(events.json(), { events: ['user.linked'] });
  });

  it('lets members read but not act, and hides the app from outsiders', async (t) => {
    const { app } = await buildTestApp(t);
    const created = await createCallbackApp(app, 'http://127.0.0.1:9/unlink');
    const memberId = await insertAccount(app.db, 'member');
    const email = (
      await app.db.selectFrom('accounts').select('email').where('id', '=', memberId).executeTakeFirstOrThrow()
    ).email;
    await joinByInvitation(app, { accountId: created.ownerId }, created.app_id, {
      email,
      role: 'member',
    });
    const member = await tokenFor(app, memberId);
    const outsider = await tokenFor(app, await insertAccount(app.db, 'outsider'));
    const base = `/api/v1/apps/${created.app_id}`;

    assert.equal((await member('GET', `${base}/notifications`)).statusCode, 200);
    assert.equal((await member('GET', `${base}/callback`)).statusCode, 200);
    for (const [method, url] of [
      ['POST', `${base}/notifications/redeliver-failed`],
      ['POST', `${base}/callback/pause`],
      ['POST', `${base}/callback/resume`],
    ] as const)
      assert.equal((await member(method, url)).statusCode, 403, url);
    assert.equal((await member('PUT', `${base}/callback/events`, { events: [] })).statusCode, 403);
    for (const url of [`${base}/notifications`, `${base}/callback`, `${base}/notifications/msg_x`])
      assert.equal((await outsider('GET', url)).statusCode, 404, url);

    const doc = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    assert.ok(doc.paths['/api/v1/apps/{app_id}/notifications'], 'documented in OpenAPI');
  });
});
