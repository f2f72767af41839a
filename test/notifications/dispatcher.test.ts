/**
 * The dispatcher against a real database and loopback receivers, with a fake clock
 * (docs/notifications.md; Standard Webhooks 1.0.0): wire format and signatures (verified by the
 * independent `standardwebhooks` and `svix` packages, also during a secret rotation), the retry
 * schedule with Retry-After, failing after the last attempt, 410, deletion receipts, lease expiry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { fakeClock } from '../../src/lib/clock.ts';
import { claimDue } from '../../src/modules/notifications/delivery.repo.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import {
  appRow,
  attemptsOf,
  createCallbackApp,
  enqueueUnlinks,
  notificationRow,
  TEST_NOTIFY,
  testDispatcher,
} from './helpers.ts';

function signatureHeaders(headers: Record<string, unknown>) {
  return {
    'webhook-id': String(headers['webhook-id']),
    'webhook-timestamp': String(headers['webhook-timestamp']),
    'webhook-signature': String(headers['webhook-signature']),
  };
}

describe('dispatcher: delivery and signatures', () => {
  it('sends the Kakao form POST with KakaoAK, and signatures that both rotation secrets verify', async (t) => {
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const rx = await startReceiver(t);
    const created = await createCallbackApp(app, `${rx.url}/unlink`);
    const rotated = await app.services.apps.rotateWebhookSecret(
      { accountId: created.ownerId },
      created.app_id,
    );
    const [id] = await enqueueUnlinks(app.db, created.app_id, 1, clock.now());

    const result = await testDispatcher(app, clock).tick();
    assert.deepEqual(result, { claimed: 1, delivered: 1, retried: 0, failed: 0 });

    const seen = rx.requests[0]!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.headers.authorization, `KakaoAK ${created.admin_key}`);
    assert.equal(seen.headers['content-type'], 'application/x-www-form-urlencoded;charset=utf-8');
    const row = await notificationRow(app.db, id!);
    assert.equal(
      seen.body,
      `app_id=${created.app_id}&user_id=${row.app_user_id}&referrer_type=UNLINK_FROM_APPS`,
    );
    const headers = signatureHeaders(seen.headers);
    assert.equal(headers['webhook-id'], id, 'webhook-id is the notification id');
    assert.equal(headers['webhook-signature'].split(' ').length, 2, 'two signatures during the overlap');
    for (const secret of [created.webhook_secret, rotated.secret])
      new Webhook(secret).verify(seen.body, headers, { jsonParse: false });
    assert.throws(() =>
      new Webhook(created.webhook_secret).verify(`${seen.body}x`, headers, { jsonParse: false }),
    );

    assert.equal(row.status, 'delivered');
    assert.equal(row.attempts, 1);
    assert.equal(row.delivered_at, clock.now());
    const [attempt] = await attemptsOf(app.db, id!);
    assert.equal(attempt!.status_code, 200);
    assert.equal(attempt!.error, null);
    assert.equal(attempt!.response_excerpt, 'ok');
    assert.equal(attempt!.remote_address, '127.0.0.1');
    assert.equal((await appRow(app.db, created.app_id)).notify_last_success_at, clock.now());
  });

  it('sends GET with the query signed, and JSON events to subscribers', async (t) => {
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const rx = await startReceiver(t);
    const get = await createCallbackApp(app, `${rx.url}/get?site=a`, { method: 'GET' });
    const json = await createCallbackApp(app, `${rx.url}/json`, { format: 'json' });
    await enqueueUnlinks(app.db, get.app_id, 1, clock.now());
    await enqueueUnlinks(app.db, json.app_id, 1, clock.now(), {
      eventType: 'user.scope_withdrawn',
      referrerType: undefined,
      data: { scopes: ['account_email'] },
    });
    await testDispatcher(app, clock).tick();

    const viaGet = rx.requests.find((r) => r.url.startsWith('/get'))!;
    const query = viaGet.url.slice(viaGet.url.indexOf('?') + 1);
    assert.match(query, /^site=a&app_id=\d+&user_id=\d+&referrer_type=UNLINK_FROM_APPS$/);
    new Webhook(get.webhook_secret).verify(query, signatureHeaders(viaGet.headers), { jsonParse: false });

    const viaJson = rx.requests.find((r) => r.url === '/json')!;
    const signed = signatureHeaders(viaJson.headers);
    const body = new Webhook(json.webhook_secret).verify(viaJson.body, signed) as {
      type: string;
      data: Record<string, unknown>;
    };
    new SvixWebhook(json.webhook_secret).verify(viaJson.body, {
      'svix-id': signed['webhook-id'],
      'svix-timestamp': signed['webhook-timestamp'],
      'svix-signature': signed['webhook-signature'],
    });
    assert.equal(body.type, 'user.scope_withdrawn');
    assert.deepEqual(body.data.scopes, ['account_email']);
    assert.equal(body.data.app_id, String(json.app_id));
  });

  it('keeps a deletion receipt from a JSON answer', async (t) => {
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const rx = await startReceiver(t, (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"confirmation_code":"DEL-42","status_url":"https://app.example.com/deletion/42"}'),
    );
    const created = await createCallbackApp(app, `${rx.url}/unlink`);
    const [id] = await enqueueUnlinks(app.db, created.app_id, 1, clock.now());
    await testDispatcher(app, clock).tick();
    const row = await notificationRow(app.db, id!);
    assert.equal(row.deletion_confirmation_code, 'DEL-42');
    assert.equal(row.deletion_status_url, 'https://app.example.com/deletion/42');
    assert.equal(row.deletion_confirmed_at, clock.now());
  });
});

describe('dispatcher: retries (fake clock)', () => {
  it('follows the schedule, lets Retry-After delay but never hasten a retry, then fails', async (t) => {
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const answers = [
      { status: 503, retryAfter: '7' },
      { status: 429, retryAfter: '1' },
      { status: 302 },
      { status: 500 },
    ];
    const rx = await startReceiver(t, (_req, res) => {
      const a = answers.shift() ?? { status: 500 };
      res
        .writeHead(a.status, {
          ...(a.retryAfter ? { 'retry-after': a.retryAfter } : {}),
          ...(a.status === 302 ? { location: 'http://127.0.0.1:9/elsewhere' } : {}),
        })
        .end('nope');
    });
    const created = await createCallbackApp(app, `${rx.url}/unlink`);
    const [id] = await enqueueUnlinks(app.db, created.app_id, 1, clock.now());
    const dispatcher = testDispatcher(app, clock);
    const t0 = clock.now();

    await dispatcher.tick();
    let row = await notificationRow(app.db, id!);
    assert.equal(row.status, 'pending');
    assert.equal(row.next_attempt_at, t0 + 7_000, 'Retry-After 7 s beats the 5 s step');
    assert.equal((await dispatcher.tick()).claimed, 0, 'not due before its time');

    clock.set(t0 + 7_000);
    await dispatcher.tick();
    row = await notificationRow(app.db, id!);
    assert.equal(row.next_attempt_at, t0 + 7_000 + 300_000, 'Retry-After 1 s cannot hasten the 5 min step');

    clock.set(row.next_attempt_at);
    await dispatcher.tick();
    row = await notificationRow(app.db, id!);
    assert.equal(row.last_error, 'redirect', 'a 302 is a failure and is not followed');
    assert.equal(rx.requests.filter((r) => r.url === '/elsewhere').length, 0);

    clock.set(row.next_attempt_at);
    assert.equal((await dispatcher.tick()).failed, 1, 'the fourth attempt was the last (3 steps)');
    row = await notificationRow(app.db, id!);
    assert.equal(row.status, 'failed');
    assert.equal(row.failed_at, clock.now());
    assert.equal(row.attempts, 4);
    const attempts = await attemptsOf(app.db, id!);
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.status_code, a.error]),
      [
        [1, 503, 'http_error'],
        [2, 429, 'http_error'],
        [3, 302, 'redirect'],
        [4, 500, 'http_error'],
      ],
    );
    assert.equal(rx.requests.length, 4);
    assert.equal(new Set(rx.requests.map((r) => r.headers['webhook-id'])).size, 1, 'same webhook-id');
  });

  it('spreads retries by the configured jitter', async (t) => {
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const rx = await startReceiver(t, (_req, res) => res.writeHead(500).end());
    const created = await createCallbackApp(app, `${rx.url}/unlink`);
    const [low, high] = await enqueueUnlinks(app.db, created.app_id, 2, clock.now());
    const draws = [0, 0.999_999];
    const dispatcher = testDispatcher(app, clock, { jitter: 0.2 }, { random: () => draws.shift() ?? 0.5 });
    await dispatcher.tick();
    const next = [
      (await notificationRow(app.db, low!)).next_attempt_at,
      (await notificationRow(app.db, high!)).next_attempt_at,
    ].sort((a, b) => a - b);
    assert.deepEqual(next, [clock.now() + 4_000, clock.now() + 6_000]);
  });

  it('retries a row whose dispatcher died once its lease has expired', async (t) => {
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const rx = await startReceiver(t);
    const created = await createCallbackApp(app, `${rx.url}/unlink`);
    const [id] = await enqueueUnlinks(app.db, created.app_id, 1, clock.now());
    // A dispatcher claims the row and "dies" before sending anything.
    const lost = await claimDue(app.db, app.dbKind, {
      now: clock.now(),
      owner: 'dead-worker',
      leaseMs: TEST_NOTIFY.leaseMs,
      limit: 10,
      appConcurrency: 2,
    });
    assert.equal(lost.length, 1);
    const survivor = testDispatcher(app, clock);
    assert.equal((await survivor.tick()).claimed, 0, 'leased rows are not claimed twice');
    clock.advance(TEST_NOTIFY.leaseMs + 1);
    assert.equal((await survivor.tick()).delivered, 1);
    assert.equal((await notificationRow(app.db, id!)).status, 'delivered');
    assert.equal(rx.requests.length, 1);
  });
});
