/**
 * The app's dashboard on the console overview, on a real database (both lanes): known links,
 * unlinks and delivery attempts give the expected numbers per calendar day in the viewer's time
 * zone, the success rate and the nearest-rank p95 latency; the page shows them with an inline SVG
 * chart named for assistive technology and a table of the same numbers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fakeClock } from '../../src/lib/clock.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { createAppViaPage, signedIn } from '../http/console-helpers.ts';

const at = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h, min);
/** 09:00 UTC on 6 December 2026: 18:00 the same day in Seoul. */
const NOW = at(2026, 12, 6, 9);

async function seed(app: FastifyInstance, appId: number, accounts: [string, string]) {
  const [a, b] = accounts;
  const link = (id: string, account: string, connected: number, unlinked: number | null, n: number) => ({
    id,
    app_id: appId,
    account_id: account,
    app_user_id: n,
    status: unlinked === null ? 'linked' : 'unlinked',
    connected_at: connected,
    unlinked_at: unlinked,
    unlinked_by: unlinked === null ? null : 'disconnect',
    notification_id: null,
  });
  await app.db
    .insertInto('connections')
    .values([
      // linked today (08:00 UTC, 17:00 Seoul)
      link('con_a', a, at(2026, 12, 6, 8), null, 1),
      // linked 4 Dec, unlinked 5 Dec 23:30 UTC, which is 6 Dec 08:30 in Seoul
      link('con_b', a, at(2026, 12, 4, 10), at(2026, 12, 5, 23, 30), 1),
      // linked long ago, unlinked 1 Dec 00:30 UTC
      link('con_c', b, at(2026, 11, 20), at(2026, 12, 1, 0, 30), 2),
      // 29 Nov 23:00 / 23:30 UTC: outside the UTC week, inside Seoul's (30 Nov morning)
      link('con_d', b, at(2026, 11, 29, 23), at(2026, 11, 29, 23, 30), 2),
      // linked before the week and still linked
      link('con_e', b, at(2026, 10, 1), null, 2),
    ])
    .execute();

  const notification = (id: string, isTest: number) => ({
    id,
    app_id: appId,
    event_type: 'user.unlinked',
    referrer_type: 'UNLINK_FROM_APPS',
    app_user_id: 1,
    data: '{}',
    status: 'delivered',
    attempts: 1,
    next_attempt_at: NOW,
    lease_until: null,
    lease_owner: null,
    created_at: NOW,
    delivered_at: NOW,
    last_attempt_at: NOW,
    last_error: null,
    failed_at: null,
    is_test: isTest,
    deletion_confirmation_code: null,
    deletion_status_url: null,
    deletion_confirmed_at: null,
  });
  await app.db
    .insertInto('notifications')
    .values([notification('msg_real', 0), notification('msg_test', 1)])
    .execute();
  const attempt = (
    n: number,
    notificationId: string,
    startedAt: number,
    latency: number,
    error: string | null,
  ) => ({
    id: `att_${n}`,
    notification_id: notificationId,
    app_id: appId,
    attempt: n,
    started_at: startedAt,
    latency_ms: latency,
    status_code: error ? 500 : 200,
    error,
    detail: null,
    response_excerpt: null,
    remote_address: null,
    worker: null,
  });
  // 20 attempts in the week, 10 ms … 200 ms, two of them failed (the slowest two).
  const rows = Array.from({ length: 20 }, (_, i) =>
    attempt(i + 1, 'msg_real', at(2026, 12, 2 + (i % 4), 12), (i + 1) * 10, i >= 18 ? 'http_error' : null),
  );
  // Left out: an attempt older than the week, and a console test notification.
  rows.push(attempt(21, 'msg_real', at(2026, 11, 25), 9_999, null));
  rows.push(attempt(22, 'msg_test', at(2026, 12, 5), 5_000, null));
  await app.db.insertInto('notification_attempts').values(rows).execute();
}

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const { app } = await buildTestApp(t, { clock: fakeClock(NOW) });
  const owner = await signedIn(app, 'owner@example.com');
  const other = await signedIn(app, 'other@example.com');
  const appId = await createAppViaPage(owner);
  await seed(app, appId, [owner.accountId, other.accountId]);
  return { app, owner, appId };
}

describe('console: the app dashboard', () => {
  it('counts links and unlinks per calendar day in UTC and in Seoul, and the delivery numbers', async (t) => {
    const { app, owner, appId } = await setup(t);
    const actor = { accountId: owner.accountId };

    const utc = await app.services.apps.getAppDashboard(actor, appId, { timeZone: 'UTC' });
    assert.equal(utc.time_zone, 'UTC');
    assert.equal(utc.linked_now, 2);
    assert.deepEqual(
      utc.days.map((d) => [d.date, d.links, d.unlinks]),
      [
        ['2026-11-30', 0, 0],
        ['2026-12-01', 0, 1],
        ['2026-12-02', 0, 0],
        ['2026-12-03', 0, 0],
        ['2026-12-04', 1, 0],
        ['2026-12-05', 0, 1],
        ['2026-12-06', 1, 0],
      ],
    );
    assert.equal(utc.days[0]!.starts_at, at(2026, 11, 30));
    assert.deepEqual(utc.deliveries, { attempts: 20, succeeded: 18, success_rate: 0.9, p95_latency_ms: 190 });

    const seoul = await app.services.apps.getAppDashboard(actor, appId, { timeZone: 'Asia/Seoul' });
    assert.deepEqual(
      seoul.days.map((d) => [d.date, d.links, d.unlinks]),
      [
        ['2026-11-30', 1, 1],
        ['2026-12-01', 0, 1],
        ['2026-12-02', 0, 0],
        ['2026-12-03', 0, 0],
        ['2026-12-04', 1, 0],
        ['2026-12-05', 0, 0],
        ['2026-12-06', 1, 1],
      ],
    );
    assert.equal(seoul.days[0]!.starts_at, at(2026, 11, 29, 15), 'midnight in Seoul is 15:00 UTC');

    // An unknown zone is not an error: the days are UTC's.
    const unknown = await app.services.apps.getAppDashboard(actor, appId, { timeZone: 'Mars/Olympus' });
    assert.equal(unknown.time_zone, 'UTC');
  });

  it('an app without links or deliveries shows zeros and "no deliveries", not an error', async (t) => {
    const { app } = await buildTestApp(t, { clock: fakeClock(NOW) });
    const owner = await signedIn(app, 'solo@example.com');
    const appId = await createAppViaPage(owner);
    const empty = await app.services.apps.getAppDashboard({ accountId: owner.accountId }, appId, {
      timeZone: 'UTC',
    });
    assert.equal(empty.linked_now, 0);
    assert.ok(empty.days.every((d) => d.links === 0 && d.unlinks === 0));
    assert.deepEqual(empty.deliveries, {
      attempts: 0,
      succeeded: 0,
      success_rate: null,
      p95_latency_ms: null,
    });
    const page = await owner.get(`/developers/apps/${appId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<dd id="stat-success"><span class="muted">no deliveries<\/span><\/dd>/);
    assert.match(page.body, /<text[^>]*class="empty">No links or unlinks in these 7 days<\/text>/);
  });

  it('the overview page shows the numbers, an SVG chart named by its title, and a table', async (t) => {
    const { owner, appId } = await setup(t);
    const res = await owner.get(`/developers/apps/${appId}`);
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<dd id="stat-linked-now">2<\/dd>/);
    assert.match(html, /<dd id="stat-links">2<\/dd>/);
    assert.match(html, /<dd id="stat-unlinks">2<\/dd>/);
    assert.match(html, /<dd id="stat-success">90%/);
    assert.match(html, /18 of 20 attempts/);
    assert.match(html, /<dd id="stat-p95">190 ms<\/dd>/);
    const svg = /<svg[^>]*>[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    assert.match(svg, /role="img"/);
    assert.match(svg, /aria-labelledby="dashboard-chart-title"/);
    assert.match(svg, /<title id="dashboard-chart-title">Links and unlinks per day<\/title>/);
    assert.match(svg, /<desc id="dashboard-chart-desc">/);
    assert.equal((svg.match(/<rect class="links"/g) ?? []).length, 7);
    assert.doesNotMatch(html, /<script(?![^>]*timezone\.js)/, 'no chart script');
    const table = /<table id="dashboard-days">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    assert.equal((table.match(/<tr>/g) ?? []).length, 8, 'a header row and seven days');
    assert.match(html, /Days are counted in UTC\./);

    // The viewer's zone from the yeon_tz cookie: Seoul's days, labelled in Korean.
    owner.cookies.set('yeon_tz', 'Asia/Seoul');
    const ko = await owner.get(`/developers/apps/${appId}`, { 'accept-language': 'ko' });
    assert.equal(ko.statusCode, 200);
    assert.match(ko.body, /날짜는 Asia\/Seoul 기준입니다/);
    assert.match(ko.body, /<dd id="stat-unlinks">3<\/dd>/);
    assert.match(ko.body, /<th scope="row">11월 30일<\/th><td>1<\/td><td>1<\/td>/);
  });

  it('a non-member gets no dashboard (not found)', async (t) => {
    const { app, appId } = await setup(t);
    const stranger = await signedIn(app, 'stranger@example.com');
    await assert.rejects(
      app.services.apps.getAppDashboard({ accountId: stranger.accountId }, appId, { timeZone: 'UTC' }),
      (err: { code?: string }) => err.code === 'not_found',
    );
    const res = await stranger.get(`/developers/apps/${appId}`);
    assert.equal(res.statusCode, 404);
  });
});
