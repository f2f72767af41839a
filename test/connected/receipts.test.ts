/**
 * Live receipts: after Delete All Data and after account deletion the person sees, without a
 * reload, whether each app has been told. The `.json` twin goes queued → retrying (attempts, next
 * time) → delivered (time to the second), the page carries the live script and the no-JavaScript
 * refresh only while something can change, the deletion receipt opens by its link with no session
 * and lists every app told, an unknown or expired link is a readable 404, and nobody sees another
 * person's receipt. Real app, real database, the real dispatcher and a loopback receiver.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { systemClock } from '../../src/lib/clock.ts';
import { RECEIPT_LINK_TTL_MS } from '../../src/modules/notifications/receipt-links.ts';
import { Agent } from '../helpers/agent.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import { testDispatcher } from '../notifications/helpers.ts';
import { createDeveloperApp, PASSWORD, setupConnected } from './fixtures.ts';

type ReceiptJson = { final: boolean; apps: Array<{ state: string; status: string }> };

async function pointCallbackAt(app: FastifyInstance, appId: number, url: string) {
  await app.db.updateTable('apps').set({ unlink_callback_url: url }).where('id', '=', appId).execute();
}

function json(res: { statusCode: number; body: string }): ReceiptJson {
  assert.equal(res.statusCode, 200, res.body);
  return JSON.parse(res.body) as ReceiptJson;
}

const LIVE_SCRIPT = /<script src="\/assets\/receipt-live.js" defer><\/script>/;
const NO_JS_REFRESH = /<noscript><meta http-equiv="refresh" content="5"\/?><\/noscript>/;

describe('receipts after Delete All Data', () => {
  test('the receipt goes queued → retrying (count, next time) → delivered with the time, live only while not final', async (t) => {
    const { app, agent, case1 } = await setupConnected(t);
    const dispatcher = testDispatcher(app, systemClock);
    const confirm = await agent.get(`/account/connected-services/${case1.app_id}/delete-all`);
    assert.match(confirm.body, /Afterwards, a page shows when Callback Shop has been told\./);
    const done = await agent.post(`/account/connected-services/${case1.app_id}/delete-all`, {});
    assert.equal(done.statusCode, 303);
    const receiptPath = `/account/connected-services/${case1.app_id}/receipt`;
    assert.equal(done.headers.location, receiptPath);

    const queuedPage = await agent.get(receiptPath);
    assert.equal(queuedPage.statusCode, 200);
    assert.match(queuedPage.body, /Request sent to Callback Shop/);
    assert.match(queuedPage.body, /aria-live="polite"/);
    assert.match(queuedPage.body, /data-state="queued"/);
    assert.match(queuedPage.body, LIVE_SCRIPT);
    assert.match(queuedPage.body, NO_JS_REFRESH);
    assert.doesNotMatch(queuedPage.body.replaceAll('Callback Shop', 'the app'), /callback|webhook|scope/i);
    const queued = json(await agent.get(`${receiptPath}.json`));
    assert.deepEqual(queued, {
      final: false,
      apps: [{ state: 'queued', status: 'Telling Callback Shop now…' }],
    });

    // The fixture's address refuses connections: the first try fails, a retry is scheduled.
    assert.equal((await dispatcher.tick()).retried, 1);
    const retrying = json(await agent.get(`${receiptPath}.json`));
    assert.equal(retrying.final, false);
    assert.equal(retrying.apps[0]!.state, 'retrying');
    assert.match(
      retrying.apps[0]!.status,
      /^We tried to tell Callback Shop once but could not reach it yet\. We will try again at \d{1,2}:\d{2}:\d{2} [AP]M\.$/,
    );
    assert.doesNotMatch(
      retrying.apps[0]!.status.replaceAll('Callback Shop', 'the app'),
      /callback|webhook|scope/i,
    );

    // Korean: the same state in plain words, 오전/오후 before the time.
    const ko = JSON.parse(
      (await agent.get(`${receiptPath}.json`, { 'accept-language': 'ko' })).body,
    ) as ReceiptJson;
    assert.match(
      ko.apps[0]!.status,
      /Callback Shop 서비스에 한 번 알렸지만 아직 전달되지 않았습니다\. 오[전후] \d{1,2}:\d{2}:\d{2}에 다시 알립니다\./,
    );

    // Now the app answers: due at once, delivered, and the receipt says when to the second.
    const rx = await startReceiver(t);
    await pointCallbackAt(app, case1.app_id, `${rx.url}/unlink`);
    await app.db.updateTable('notifications').set({ next_attempt_at: Date.now() }).execute();
    assert.equal((await dispatcher.tick()).delivered, 1);
    const delivered = json(await agent.get(`${receiptPath}.json`));
    assert.equal(delivered.final, true);
    assert.equal(delivered.apps[0]!.state, 'delivered');
    assert.match(delivered.apps[0]!.status, /^Callback Shop was told at \d{1,2}:\d{2}:\d{2} [AP]M\.$/);
    const koDone = JSON.parse(
      (await agent.get(`${receiptPath}.json`, { 'accept-language': 'ko' })).body,
    ) as ReceiptJson;
    assert.match(
      koDone.apps[0]!.status,
      /^오[전후] \d{1,2}:\d{2}:\d{2}에 Callback Shop 서비스에 전달했습니다\.$/,
    );

    // Final: neither the script nor the refresh any more.
    const finalPage = await agent.get(receiptPath);
    assert.match(finalPage.body, /data-state="delivered"/);
    assert.doesNotMatch(finalPage.body, /receipt-live\.js/);
    assert.doesNotMatch(finalPage.body, /http-equiv="refresh"/);

    const script = await agent.get('/assets/receipt-live.js');
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
  });

  test('after the attempts run out the receipt says how many times and stops', async (t) => {
    const { app, agent, case1 } = await setupConnected(t);
    const dispatcher = testDispatcher(app, systemClock, { schedule: [1] });
    await agent.get(`/account/connected-services/${case1.app_id}/delete-all`);
    await agent.post(`/account/connected-services/${case1.app_id}/delete-all`, {});
    await dispatcher.tick();
    await new Promise((r) => setTimeout(r, 5));
    await dispatcher.tick();
    const failed = json(await agent.get(`/account/connected-services/${case1.app_id}/receipt.json`));
    assert.equal(failed.final, true);
    assert.equal(failed.apps[0]!.state, 'failed');
    assert.match(failed.apps[0]!.status, /We tried to tell Callback Shop 2 times and could not reach it/);
  });

  test("another person's receipt is not visible, and the JSON needs a session", async (t) => {
    const { app, agent, case1 } = await setupConnected(t);
    await agent.get(`/account/connected-services/${case1.app_id}/delete-all`);
    await agent.post(`/account/connected-services/${case1.app_id}/delete-all`, {});
    const other = new Agent(app, { 'accept-language': 'en' });
    await other.signUp('someone-else@example.com', PASSWORD, 'Other');
    await app.services.connections.agree({
      accountId: (await app.services.accounts.getByEmail('someone-else@example.com'))!.id,
      appId: case1.app_id,
      items: ['profile_nickname'],
    });
    assert.equal((await other.get(`/account/connected-services/${case1.app_id}/receipt`)).statusCode, 404);
    assert.equal(
      (await other.get(`/account/connected-services/${case1.app_id}/receipt.json`)).statusCode,
      404,
    );
    const anonymous = new Agent(app, { 'accept-language': 'en' });
    const noSession = await anonymous.get(`/account/connected-services/${case1.app_id}/receipt.json`, {
      accept: 'application/json',
    });
    assert.equal(noSession.statusCode, 401);
  });
});

describe('the deletion receipt, by its link', () => {
  test('confirm page lists the apps told; wrong password says so; the link works without a session and lists every app', async (t) => {
    const { app, agent, owner, person } = await setupConnected(t);
    // A second app that can be told, so "every app" is more than one.
    const case3 = await createDeveloperApp(app, owner.id, {
      name: 'Another Shop',
      unlink: { callback_url: 'http://127.0.0.1:9/unlink', method: 'POST', state: 'active' },
    });
    await app.services.connections.agree({
      accountId: person.id,
      appId: case3.app_id,
      items: ['profile_nickname'],
    });

    const confirm = await agent.get('/account/delete');
    const told = /<ul id="told-apps">(.*?)<\/ul>/s.exec(confirm.body)?.[1] ?? '';
    assert.match(told, /Callback Shop/);
    assert.match(told, /Another Shop/);
    assert.doesNotMatch(told, /Quiet Shop/, 'an app with no way to be told is not listed as told');

    const wrong = await agent.post('/account/delete', { password: 'not my password', confirm: '1' });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /Wrong password/);
    assert.doesNotMatch(wrong.body, /email or password/i);

    const res = await agent.post('/account/delete', { password: PASSWORD, confirm: '1' });
    assert.equal(res.statusCode, 303);
    const location = String(res.headers.location);
    assert.match(location, /^\/account\/deleted\/[A-Za-z0-9_-]{43}$/);
    const token = location.split('/').pop()!;
    // Stored only as its hash.
    const stored = await app.db.selectFrom('receipt_links').selectAll().execute();
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0]!.token_hash, token);
    assert.doesNotMatch(JSON.stringify(stored), new RegExp(token));

    // A fresh browser with no cookie at all: the link alone opens it.
    const stranger = new Agent(app, { 'accept-language': 'en' });
    const page = await stranger.get(location);
    assert.equal(page.statusCode, 200);
    // Only the origin goes to other sites in a Referer, never the token in the path.
    assert.equal(page.headers['referrer-policy'], 'strict-origin-when-cross-origin');
    assert.match(page.body, /Your account has been deleted/);
    assert.match(page.body, /Bookmark it/);
    assert.match(page.body, new RegExp(`id="receipt-link" href="http://[^"]+/account/deleted/${token}"`));
    assert.match(page.body, /Telling Another Shop now…/);
    assert.match(page.body, /Telling Callback Shop now…/);
    assert.match(page.body, LIVE_SCRIPT);
    assert.match(page.body, NO_JS_REFRESH);
    const live = json(await stranger.get(`${location}.json`));
    assert.deepEqual(
      live.apps.map((a) => a.state),
      ['queued', 'queued'],
    );

    const rx = await startReceiver(t);
    await app.db
      .updateTable('apps')
      .set({ unlink_callback_url: `${rx.url}/unlink` })
      .execute();
    await testDispatcher(app, systemClock).tick();
    const done = json(await stranger.get(`${location}.json`));
    assert.equal(done.final, true);
    assert.match(done.apps[0]!.status, /^Another Shop was told at /);
    assert.match(done.apps[1]!.status, /^Callback Shop was told at /);
    const finalPage = await stranger.get(location);
    assert.doesNotMatch(finalPage.body, /receipt-live\.js|http-equiv="refresh"/);
  });

  test('an unknown or expired link is a readable 404', async (t) => {
    const { app, agent } = await setupConnected(t);
    await agent.get('/account/delete');
    const res = await agent.post('/account/delete', { password: PASSWORD, confirm: '1' });
    const location = String(res.headers.location);

    const stranger = new Agent(app, { 'accept-language': 'ko' });
    const unknown = await stranger.get('/account/deleted/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /열 수 없는 링크입니다/);
    assert.equal(
      (await stranger.get('/account/deleted/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.json')).statusCode,
      404,
    );

    await app.db
      .updateTable('receipt_links')
      .set({ expires_at: Date.now() - 1, created_at: Date.now() - RECEIPT_LINK_TTL_MS - 1 })
      .execute();
    const expired = await stranger.get(location);
    assert.equal(expired.statusCode, 404);
    assert.match(expired.body, /30일/);
    assert.equal((await stranger.get(`${location}.json`)).statusCode, 404);

    // An ended link is dropped when the next one is made.
    await app.services.receipts.issueLink([]);
    const left = await app.db.selectFrom('receipt_links').select('expires_at').execute();
    assert.equal(left.length, 1);
    assert.ok(Number(left[0]!.expires_at) > Date.now());
  });
});
