/**
 * The console's delivery log tells the truth: a "Send test notification" is in it, marked as a
 * test, and its 2xx is the callback's last success; times are to the second in the reader's
 * zone; the retry schedule is the configured one, with the next attempt of a retrying
 * notification; every attempt shows status, latency, excerpt and address; the log filters by
 * state and user id; redelivery is a CSRF-checked POST for owners and admins.
 * Real app, real receivers on loopback; only the clock is fake.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { fakeClock } from '../../src/lib/clock.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { joinByInvitation } from '../helpers/team.ts';
import { createAppViaPage, signedIn, submit } from '../http/console-helpers.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import { enqueueUnlinks, notificationRow, testDispatcher } from '../notifications/helpers.ts';

/** A whole minute of real time plus 7 s, so the seconds on the page are known. */
function startOfTest(): number {
  return Math.floor(Date.now() / 60_000) * 60_000 + 7_000;
}

/** "12:04:07 PM" in Seoul (UTC+9, no daylight saving), worked out without Intl. */
function seoulTime(ms: number): RegExp {
  const d = new Date(ms + 9 * 3_600_000);
  const h = d.getUTCHours();
  const two = (n: number) => String(n).padStart(2, '0');
  const text = `${h % 12 || 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return new RegExp(`${text}[\\s\\u202f]${h < 12 ? 'AM' : 'PM'}`);
}

async function setup(t: TestContext, answer: (body: string) => number, env: Record<string, string> = {}) {
  const clock = fakeClock(startOfTest());
  const { app } = await buildTestApp(t, { clock, env });
  const rx = await startReceiver(t, (_req, res, body) => {
    const status = answer(body);
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'got it' : 'database down');
  });
  const owner = await signedIn(app, 'owner@example.com');
  // The browser's zone, as /assets/timezone.js would set it: Seoul, while the page is English.
  owner.cookies.set('yeon_tz', 'Asia/Seoul');
  const appId = await createAppViaPage(owner);
  const unlink = `/developers/apps/${appId}/unlink`;
  const saved = await submit(owner, unlink, unlink, {
    callback_url: `${rx.url}/unlink`,
    method: 'POST',
    state: 'active',
    format: 'kakao',
  });
  assert.equal(saved.statusCode, 303);
  return { app, clock, owner, appId, unlink, rx, page: `/developers/apps/${appId}/deliveries` };
}

/** The `<li>` of one notification on the log page. */
function itemOf(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  assert.ok(start >= 0, `notification ${id} is listed`);
  return html.slice(start, html.indexOf('</li>', start));
}

function listedIds(html: string): string[] {
  return [...html.matchAll(/<li class="delivery" id="([^"]+)"/g)].map((m) => m[1]!);
}

describe('developer console: the delivery log', () => {
  it('logs a test notification as a test, and its 2xx becomes the last success', async (t) => {
    const { app, clock, owner, appId, unlink, page } = await setup(t, () => 200);
    const before = await owner.get(page);
    assert.match(before.body, /<dt>Last success<\/dt>\s*<dd>never<\/dd>/);

    const sent = await submit(owner, unlink, `${unlink}/test`, {});
    assert.equal(sent.statusCode, 303);

    const log = await owner.get(page);
    assert.equal(log.statusCode, 200);
    const [id] = listedIds(log.body);
    assert.match(id!, /^test_/, 'listed under the webhook-id the receiver saw');
    const item = itemOf(log.body, id!);
    assert.match(item, /<strong>Delivered<\/strong>/);
    assert.match(item, /<mark class="badge"[^>]*>Test<\/mark>/);
    assert.match(item, /<dd>\s*<code>0<\/code>\s*<\/dd>/, 'user id 0, as on the wire');
    assert.match(item, /<td>200<\/td>/);
    assert.match(item, /<td>\d+ ms<\/td>/);
    assert.match(item, /<pre class="excerpt">got it<\/pre>/);
    assert.match(item, /<code>127\.0\.0\.1<\/code>/);
    assert.doesNotMatch(item, /Redeliver/);

    const lastSuccess = /<dt>Last success<\/dt>\s*<dd>(.*?)<\/dd>/s.exec(log.body)?.[1] ?? '';
    assert.doesNotMatch(lastSuccess, /never/);
    assert.match(lastSuccess, seoulTime(clock.now()), 'to the second, in the zone of the yeon_tz cookie');
    assert.match(lastSuccess, new RegExp(`datetime="${new Date(clock.now()).toISOString()}"`));
    assert.match(log.body, /Times are in Asia\/Seoul\./);
    assert.match(log.body, /0 pending, 0 delivered, 0 failed/, 'tests are not counted as notifications');

    const api = await app.services.notifications.listDeliveries({ accountId: owner.accountId }, appId);
    assert.equal(api.items[0]?.is_test, true);
    assert.equal(api.items[0]?.state, 'delivered');
  });

  it('logs a failed test as failed, without a redeliver button, and keeps the last success', async (t) => {
    const { owner, unlink, page } = await setup(t, () => 500);
    await submit(owner, unlink, `${unlink}/test`, {});
    const log = await owner.get(page);
    const item = itemOf(log.body, listedIds(log.body)[0]!);
    assert.match(item, /<strong>Failed<\/strong>/);
    assert.match(item, />Test<\/mark>/);
    assert.match(item, /<td>500<\/td>/);
    assert.match(item, /<pre class="excerpt">database down<\/pre>/);
    assert.doesNotMatch(log.body, /Redeliver/, 'a test is never queued again');
    assert.match(log.body, /<dt>Last success<\/dt>\s*<dd>never<\/dd>/);
  });

  it('shows the configured retry schedule and when a retrying notification goes next', async (t) => {
    const { app, clock, owner, appId, page } = await setup(t, () => 503, {
      YEON_NOTIFY_SCHEDULE: '7s,11m,2h',
      YEON_NOTIFY_JITTER: '0',
    });
    const [id] = await enqueueUnlinks(app.db, appId, 1, clock.now());
    await testDispatcher(app, clock, { schedule: app.config.notify.schedule, jitter: 0 }).tick();
    const row = await notificationRow(app.db, id!);
    assert.equal(row.next_attempt_at, clock.now() + 7_000);

    const log = await owner.get(page);
    assert.match(
      log.body,
      /tried again after 7 s, 11 min, 2 h; then the notification fails \(4 attempts in all\)/,
    );
    assert.doesNotMatch(log.body, /varies by up to/, 'no spread when the jitter is 0');
    assert.doesNotMatch(log.body, /5 min, 30 min/, 'the default schedule is named nowhere');
    const item = itemOf(log.body, id!);
    assert.match(item, /<strong>Retrying<\/strong>/);
    const next = /<dt>Next attempt<\/dt>\s*<dd>(.*?)<\/dd>/s.exec(item)?.[1] ?? '';
    assert.match(next, seoulTime(clock.now() + 7_000));
    assert.match(next, /\(attempt 2 of 4\)/);
    assert.match(item, /<td>503<\/td>/);
    assert.match(item, /<code>127\.0\.0\.1<\/code>/);
  });

  it('says the schedule in Korean as Koreans read it', async (t) => {
    const { owner, page } = await setup(t, () => 200, { YEON_NOTIFY_SCHEDULE: '5s,30m,1d' });
    const log = await owner.get(page, { 'accept-language': 'ko' });
    assert.match(log.body, /5초, 30분, 1일 뒤에 차례로 다시 보내고/);
    assert.match(log.body, /모두 4번 시도/);
    assert.match(log.body, /최대 ±10%씩/);
  });

  it('filters by state and by user id, and says so when the user id is not a number', async (t) => {
    const delivered = 1_234_001;
    const failed = 1_234_002;
    const retrying = 1_234_003;
    const queued = 1_234_004;
    const { app, clock, owner, appId, page } = await setup(t, (body) =>
      body.includes(`user_id=${delivered}`) ? 200 : 500,
    );
    const dispatcher = testDispatcher(app, clock, { schedule: [5_000] });
    const [d] = await enqueueUnlinks(app.db, appId, 1, clock.now(), { appUserId: delivered });
    clock.advance(1);
    const [f] = await enqueueUnlinks(app.db, appId, 1, clock.now(), { appUserId: failed });
    await dispatcher.tick();
    clock.advance(6_000);
    await dispatcher.tick();
    const [r] = await enqueueUnlinks(app.db, appId, 1, clock.now(), { appUserId: retrying });
    await dispatcher.tick();
    clock.advance(1_000);
    const [q] = await enqueueUnlinks(app.db, appId, 1, clock.now(), { appUserId: queued });

    assert.deepEqual(listedIds((await owner.get(page)).body), [q, r, f, d], 'newest first');
    for (const [state, id] of [
      ['queued', q],
      ['retrying', r],
      ['failed', f],
      ['delivered', d],
    ] as const) {
      const shown = await owner.get(`${page}?state=${state}`);
      assert.deepEqual(listedIds(shown.body), [id], state);
      assert.match(shown.body, new RegExp(`<option value="${state}" selected>`));
    }
    assert.deepEqual(listedIds((await owner.get(`${page}?status=pending`)).body), [q, r], 'older links');

    const byUser = await owner.get(`${page}?user_id=${retrying}`);
    assert.deepEqual(listedIds(byUser.body), [r]);
    assert.match(
      byUser.body,
      new RegExp(`name="user_id"[^>]*value="${retrying}"|value="${retrying}"[^>]*name="user_id"`),
    );
    assert.deepEqual(listedIds((await owner.get(`${page}?state=delivered&user_id=${retrying}`)).body), []);

    const bad = await owner.get(`${page}?user_id=abc`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter the user ID in digits only\./);
    assert.match(bad.body, /aria-invalid="true"/);
    assert.deepEqual(listedIds(bad.body), [q, r, f, d], 'the log is still shown');
  });

  it('the JSON API says the same: tests marked, states, the user filter and the configured schedule', async (t) => {
    const { app, clock, owner, appId } = await setup(t, (body) => (body.includes('user_id=0') ? 200 : 500), {
      YEON_NOTIFY_SCHEDULE: '7s,11m',
    });
    const { token } = await app.services.developerTokens.createToken(owner.accountId);
    const api = (url: string, method: 'GET' | 'POST' = 'GET') =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } });
    const base = `/api/v1/apps/${appId}`;
    assert.equal((await api(`${base}/unlink/test`, 'POST')).statusCode, 200);
    const [real] = await enqueueUnlinks(app.db, appId, 1, clock.now(), { appUserId: 777 });
    await testDispatcher(app, clock, { schedule: app.config.notify.schedule }).tick();

    const tests = (await api(`${base}/notifications?user_id=0`)).json() as {
      items: Array<{ id: string; is_test: boolean; state: string; status: string }>;
    };
    assert.equal(tests.items.length, 1);
    assert.match(tests.items[0]!.id, /^test_/);
    assert.deepEqual(
      { ...tests.items[0], id: '' },
      { ...tests.items[0], id: '', is_test: true, state: 'delivered' },
    );
    const retrying = (await api(`${base}/notifications?state=retrying`)).json() as {
      items: Array<{ id: string; is_test: boolean; status: string }>;
    };
    assert.deepEqual(
      retrying.items.map((i) => [i.id, i.is_test, i.status]),
      [[real, false, 'pending']],
    );
    assert.equal((await api(`${base}/notifications?user_id=abc`)).statusCode, 400);

    const health = (await api(`${base}/callback`)).json() as Record<string, unknown>;
    assert.deepEqual(health.retry_schedule_ms, [7_000, 660_000]);
    assert.equal(health.last_success_at, clock.now(), 'the test 2xx');
    assert.deepEqual(health.counts, { pending: 1, delivered: 0, failed: 0 });
  });

  it('redelivers one or all failed by a CSRF-checked POST, for owners and admins only', async (t) => {
    const { app, clock, owner, appId, page } = await setup(t, () => 500);
    const [a, b] = await enqueueUnlinks(app.db, appId, 2, clock.now());
    await testDispatcher(app, clock, { schedule: [] }).tick();

    await owner.get(page);
    const forged = await owner.post(`${page}/${a}/redeliver`, { _csrf: 'forged' });
    assert.equal(forged.statusCode, 403);
    assert.equal((await notificationRow(app.db, a!)).status, 'failed', 'nothing queued without the token');

    const member = await signedIn(app, 'member@example.com');
    await joinByInvitation(app, { accountId: owner.accountId }, appId, {
      email: 'member@example.com',
      role: 'member',
    });
    await member.get(page);
    assert.equal((await member.post(`${page}/redeliver-failed`, {})).statusCode, 403);
    assert.equal((await notificationRow(app.db, b!)).status, 'failed');

    const failedOnly = await owner.get(`${page}?state=failed`);
    assert.match(failedOnly.body, new RegExp(`action="${page}/${a}/redeliver\\?state=failed"`));
    const one = await owner.post(`${page}/${a}/redeliver?state=failed`, {});
    assert.equal(one.statusCode, 303);
    assert.equal(one.headers.location, `${page}?done=redelivered&state=failed`, 'back to the filtered log');
    assert.equal((await notificationRow(app.db, a!)).status, 'pending');
    const queued = await owner.get(`${page}?state=queued`);
    assert.deepEqual(listedIds(queued.body), [], 'a redelivered notification has been tried: it is not new');
    assert.deepEqual(listedIds((await owner.get(`${page}?state=retrying`)).body), [a]);

    const all = await owner.post(`${page}/redeliver-failed`, {});
    assert.equal(all.headers.location, `${page}?done=redelivered_all&count=1`);
    assert.equal((await notificationRow(app.db, b!)).status, 'pending');
  });
});
