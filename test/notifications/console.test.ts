/**
 * The delivery log in the developer console, through the real pages with a
 * cookie-keeping agent: every attempt shown, redeliver one and all failed, pause and resume,
 * the banner of a paused callback (with its reason) on the app's pages, events on the JSON
 * format only, and who sees which button.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { fakeClock } from '../../src/lib/clock.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { joinByInvitation } from '../helpers/team.ts';
import { createAppViaPage, signedIn, submit } from '../http/console-helpers.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import { enqueueUnlinks, notificationRow, testDispatcher } from './helpers.ts';

async function setup(t: TestContext) {
  const clock = fakeClock(Date.now());
  const { app } = await buildTestApp(t, { clock });
  const rx = await startReceiver(t, (_req, res) => res.writeHead(500).end('database down'));
  const owner = await signedIn(app, 'owner@example.com');
  const appId = await createAppViaPage(owner);
  const unlink = `/developers/apps/${appId}/unlink`;
  const saved = await submit(owner, unlink, unlink, {
    callback_url: `${rx.url}/unlink`,
    method: 'POST',
    state: 'active',
    format: 'kakao',
  });
  assert.equal(saved.statusCode, 303);
  const page = `/developers/apps/${appId}/deliveries`;
  return { app, clock, owner, appId, page, unlink };
}

describe('developer console: delivery log', () => {
  it('shows every attempt and redelivers one or all failed notifications', async (t) => {
    const { app, clock, owner, appId, page } = await setup(t);
    const [a, b] = await enqueueUnlinks(app.db, appId, 2, clock.now());
    await testDispatcher(app, clock, { schedule: [] }).tick();

    const log = await owner.get(page);
    assert.equal(log.statusCode, 200);
    for (const id of [a, b]) assert.match(log.body, new RegExp(`id="${id}"`));
    const row = await notificationRow(app.db, a!);
    assert.match(log.body, new RegExp(`<code>${row.app_user_id}</code>`));
    assert.match(log.body, /<code>UNLINK_FROM_APPS<\/code>/);
    assert.match(log.body, /<strong>Failed<\/strong>/);
    assert.match(log.body, /<td>500<\/td>/);
    assert.match(log.body, /<pre class="excerpt">database down<\/pre>/);
    assert.match(log.body, /Your server answered with an error status\. \(HTTP 500\)/);
    assert.match(log.body, /Redeliver all failed \(2\)/);
    assert.match(log.body, /aria-current="page"[^>]*>Delivery log</, 'a console section of its own');

    const one = await owner.post(`${page}/${a}/redeliver`, {});
    assert.equal(one.statusCode, 303);
    assert.equal(one.headers.location, `${page}?done=redelivered`);
    assert.equal((await notificationRow(app.db, a!)).status, 'pending');
    assert.match((await owner.get(String(one.headers.location))).body, /The notification is queued/);

    const again = await owner.post(`${page}/${a}/redeliver`, {});
    assert.equal(again.statusCode, 409, 'only failed ones');
    assert.match(again.body, /Only a failed notification can be redelivered/);

    await owner.get(page);
    const all = await owner.post(`${page}/redeliver-failed`, {});
    assert.equal(all.headers.location, `${page}?done=redelivered_all&count=1`);
    assert.match(
      (await owner.get(String(all.headers.location))).body,
      /1 failed notifications are queued again/,
    );
    assert.equal((await notificationRow(app.db, b!)).status, 'pending');

    const filtered = await owner.get(`${page}?status=delivered`);
    assert.match(filtered.body, /No notifications yet/);
  });

  it('pauses and resumes, with a banner naming why on every page of the app', async (t) => {
    const { app, clock, owner, appId, page } = await setup(t);
    await owner.get(page);
    const paused = await owner.post(`${page}/pause`, {});
    assert.equal(paused.headers.location, `${page}?done=paused`);
    const overview = await owner.get(`/developers/apps/${appId}`);
    assert.match(overview.body, /id="paused-banner"/);
    assert.match(overview.body, new RegExp(`href="${page}"`));

    // As the dispatcher leaves it after 5 days of failures.
    await app.db
      .updateTable('apps')
      .set({ unlink_paused_reason: 'failing', unlink_paused_at: clock.now() })
      .where('id', '=', appId)
      .execute();
    const log = await owner.get(page);
    assert.match(log.body, /paused automatically on .+: your callback had failed for 5 days/);
    assert.match(log.body, /Resume deliveries/);
    const resumed = await owner.post(`${page}/resume`, {});
    assert.equal(resumed.headers.location, `${page}?done=resumed`);
    const after = await owner.get(String(resumed.headers.location));
    assert.match(after.body, /Deliveries resumed/);
    assert.doesNotMatch(after.body, /id="paused"/);
    assert.doesNotMatch((await owner.get(`/developers/apps/${appId}`)).body, /id="paused-banner"/);
  });

  it('takes optional events on the JSON format only', async (t) => {
    const { owner, page, unlink } = await setup(t);
    await owner.get(page);
    const refused = await owner.post(`${page}/events`, { events: 'user.linked' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /JSON format only/);
    const saved = await submit(owner, unlink, unlink, {
      callback_url: 'http://127.0.0.1:9/unlink',
      method: 'POST',
      state: 'active',
      format: 'json',
    });
    assert.equal(saved.statusCode, 303);
    await owner.get(page);
    const ok = await owner.post(`${page}/events`, { events: 'user.scope_withdrawn' });
    assert.equal(ok.headers.location, `${page}?done=events_saved`);
    const shown = await owner.get(page);
    assert.match(shown.body, /value="user.scope_withdrawn" checked/);
    assert.doesNotMatch(shown.body, /value="user.linked" checked/);
  });

  it('members read without buttons and get 403 on changes; outsiders get 404', async (t) => {
    const { app, clock, owner, appId, page } = await setup(t);
    await enqueueUnlinks(app.db, appId, 1, clock.now());
    await testDispatcher(app, clock, { schedule: [] }).tick();
    const member = await signedIn(app, 'member@example.com');
    await joinByInvitation(app, { accountId: owner.accountId }, appId, {
      email: 'member@example.com',
      role: 'member',
    });

    const seen = await member.get(page);
    assert.equal(seen.statusCode, 200);
    assert.match(seen.body, /<strong>Failed<\/strong>/);
    assert.doesNotMatch(seen.body, /Redeliver/);
    assert.doesNotMatch(seen.body, /Pause deliveries/);
    for (const action of ['pause', 'resume', 'redeliver-failed'])
      assert.equal((await member.post(`${page}/${action}`, {})).statusCode, 403, action);

    const outsider = await signedIn(app, 'outsider@example.com');
    assert.equal((await outsider.get(page)).statusCode, 404);
    await outsider.get('/developers');
    assert.equal((await outsider.post(`${page}/pause`, {})).statusCode, 404);
  });
});
