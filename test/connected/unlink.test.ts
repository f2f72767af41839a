/**
 * Unlink by Kakao's rules for Manage Connected Services: case 1 offers only Delete All Data and
 * writes exactly one UNLINK_FROM_APPS notification; case 2 offers Delete All Data (leave in person,
 * open-app button by User-Agent) and Disconnect (no notification). Afterwards the tokens are dead
 * in the database and through the Kakao API, the history shows the link, and a relink gets the same
 * app user id.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { notificationsOf, oauthRows, setupConnected, userMe } from './fixtures.ts';

const UA = {
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
  ios: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  desktop:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
};

function openAppHref(html: string): string | undefined {
  const m = /<a[^>]*id="open-app"[^>]*href="([^"]+)"|<a[^>]*href="([^"]+)"[^>]*id="open-app"/.exec(html);
  return (m?.[1] ?? m?.[2])?.replaceAll('&amp;', '&');
}

describe('Manage Connected Services: unlink', () => {
  test('case 1: only Delete All Data; confirm → unlinked, one UNLINK_FROM_APPS row, tokens dead', async (t) => {
    const { app, db, agent, person, case1, link1, token1 } = await setupConnected(t);
    assert.equal((await userMe(app, token1)).status, 200);
    const detail = await agent.get(`/account/connected-services/${case1.app_id}`);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, /id="delete-all"/);
    assert.doesNotMatch(detail.body, /id="disconnect"/);
    // Disconnect is not offered, not even by typing its URL or posting to it.
    assert.equal((await agent.get(`/account/connected-services/${case1.app_id}/disconnect`)).statusCode, 409);

    const confirm = await agent.get(`/account/connected-services/${case1.app_id}/delete-all`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /tells Callback Shop to delete/);
    assert.match(confirm.body, /cannot stop or delay this/);
    assert.equal(
      (await agent.post(`/account/connected-services/${case1.app_id}/disconnect`, {})).statusCode,
      409,
    );
    assert.equal(await app.services.connections.getLive(person.id, case1.app_id).then(Boolean), true);

    await agent.get(`/account/connected-services/${case1.app_id}/delete-all`);
    const done = await agent.post(`/account/connected-services/${case1.app_id}/delete-all`, {});
    assert.equal(done.statusCode, 303);
    // The receipt page follows (test/connected/receipts.test.ts); the list still names the unlink.
    assert.equal(done.headers.location, `/account/connected-services/${case1.app_id}/receipt`);

    assert.equal(await app.services.connections.getLive(person.id, case1.app_id), undefined);
    const rows = await notificationsOf(db, case1.app_id);
    assert.deepEqual(
      rows.map((r) => [r.event_type, r.referrer_type, r.app_user_id]),
      [['user.unlinked', 'UNLINK_FROM_APPS', link1.appUserId]],
    );
    assert.deepEqual(await oauthRows(db, person.id, case1.rest_api_key), []);
    assert.deepEqual((await userMe(app, token1)).body.code, -401);
    assert.equal((await userMe(app, token1)).status, 401);

    const list = await agent.get(`/account/connected-services?unlinked=${case1.app_id}`);
    assert.match(list.body, /Callback Shop has been unlinked/);
    assert.match(list.body, /Previously connected/);
    assert.match(
      list.body,
      /data-event="unlinked"[^>]*><span class="block">Asked the app to delete all information · /,
    );
    assert.match(list.body, /data-notification="pending"[^>]*>Notification to the app: queued/);
  });

  test('case 1 with a paused callback is still case 1', async (t) => {
    const { app, agent, case1, owner } = await setupConnected(t);
    await app.services.apps.updateUnlinkSettings({ accountId: owner.id }, case1.app_id, {
      callback_url: 'http://127.0.0.1:9/unlink',
      method: 'POST',
      state: 'paused',
    });
    const detail = await agent.get(`/account/connected-services/${case1.app_id}`);
    assert.match(detail.body, /id="delete-all"/);
    assert.doesNotMatch(detail.body, /id="disconnect"/);
  });

  test('case 2, Disconnect: confirmation says the app keeps its data; no notification; tokens dead', async (t) => {
    const { app, db, agent, person, case2, token2, token1 } = await setupConnected(t);
    const detail = await agent.get(`/account/connected-services/${case2.app_id}`);
    assert.match(detail.body, /id="delete-all"/);
    assert.match(detail.body, /id="disconnect"/);
    const confirm = await agent.get(`/account/connected-services/${case2.app_id}/disconnect`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Quiet Shop keeps the data it already has about you/);
    const done = await agent.post(`/account/connected-services/${case2.app_id}/disconnect`, {});
    assert.equal(done.statusCode, 303);
    assert.equal(await app.services.connections.getLive(person.id, case2.app_id), undefined);
    assert.deepEqual(await notificationsOf(db, case2.app_id), []);
    assert.deepEqual(await oauthRows(db, person.id, case2.rest_api_key), []);
    assert.equal((await userMe(app, token2)).body.code, -401);
    // The other app's link and token are untouched.
    assert.equal((await userMe(app, token1)).status, 200);
    const list = await agent.get('/account/connected-services');
    assert.match(list.body, /data-event="unlinked"[^>]*><span class="block">Disconnected the app · /);
    assert.match(list.body, /data-notification="none"/);
  });

  test('case 2, Delete All Data: no unlink happens; the page sends the person to the app, or disconnects', async (t) => {
    const { app, db, agent, person, case2 } = await setupConnected(t);
    const page = await agent.get(`/account/connected-services/${case2.app_id}/delete-all`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Leave Quiet Shop in person/);
    assert.match(page.body, /cannot reach the data/);
    assert.match(page.body, /id="confirm-disconnect"/);
    // Posting Delete All Data to an app without a callback is refused: it could notify no one.
    assert.equal(
      (await agent.post(`/account/connected-services/${case2.app_id}/delete-all`, {})).statusCode,
      409,
    );
    assert.ok(await app.services.connections.getLive(person.id, case2.app_id));

    await agent.get(`/account/connected-services/${case2.app_id}/delete-all`);
    const done = await agent.post(`/account/connected-services/${case2.app_id}/disconnect`, {});
    assert.equal(done.statusCode, 303);
    assert.equal(await app.services.connections.getLive(person.id, case2.app_id), undefined);
    assert.deepEqual(await notificationsOf(db, case2.app_id), []);
  });

  test('case 2 open-app button: Android intent with market fallback, iOS App Store, desktop web site', async (t) => {
    const { agent, case2 } = await setupConnected(t);
    const url = `/account/connected-services/${case2.app_id}/delete-all`;
    const android = openAppHref((await agent.get(url, { 'user-agent': UA.android })).body);
    assert.equal(
      android,
      'intent://open#Intent;action=android.intent.action.MAIN;category=android.intent.category.LAUNCHER;' +
        `package=com.example.shop;S.browser_fallback_url=${encodeURIComponent('https://play.google.com/store/apps/details?id=com.example.shop')};end`,
    );
    assert.equal(
      openAppHref((await agent.get(url, { 'user-agent': UA.ios })).body),
      'https://apps.apple.com/app/id123456789',
    );
    assert.equal(
      openAppHref((await agent.get(url, { 'user-agent': UA.desktop })).body),
      'https://shop.example/leave',
    );
  });

  test('open-app button: web site when the phone platform is missing; none when nothing is configured', async (t) => {
    const web = await setupConnected(t, { case2: { platforms: { site_urls: ['https://web.example/'] } } });
    const url = `/account/connected-services/${web.case2.app_id}/delete-all`;
    assert.equal(
      openAppHref((await web.agent.get(url, { 'user-agent': UA.android })).body),
      'https://web.example/',
    );
    assert.equal(
      openAppHref((await web.agent.get(url, { 'user-agent': UA.ios })).body),
      'https://web.example/',
    );

    const none = await setupConnected(t, { case2: { platforms: { site_urls: [] } } });
    const page = await none.agent.get(`/account/connected-services/${none.case2.app_id}/delete-all`, {
      'user-agent': UA.android,
    });
    assert.equal(openAppHref(page.body), undefined);
    assert.match(page.body, /has not registered a web site or mobile app/);
  });

  test('relink after Disconnect gives the same app user id; the app shows as connected again', async (t) => {
    const { app, agent, person, case2, link2 } = await setupConnected(t);
    await agent.get(`/account/connected-services/${case2.app_id}/disconnect`);
    await agent.post(`/account/connected-services/${case2.app_id}/disconnect`, {});
    const last = await app.services.connections.lastUnlink(person.id, case2.app_id);
    assert.equal(last?.unlinkedBy, 'disconnect');
    const again = await app.services.connections.agree({
      accountId: person.id,
      appId: case2.app_id,
      items: ['profile_nickname'],
    });
    assert.equal(again.newlyLinked, true);
    assert.equal(again.appUserId, link2.appUserId);
    const list = await agent.get('/account/connected-services');
    assert.match(list.body, new RegExp(`id="connected-apps"[\\s\\S]*data-app-id="${case2.app_id}"`));
    assert.match(list.body, /Previously connected/);
  });

  test("another person's app, an unknown app and a signed-out visitor get nothing", async (t) => {
    const { app, agent, case1, owner } = await setupConnected(t);
    // The developer owns the app but is not linked to it.
    void owner;
    assert.equal((await agent.get('/account/connected-services/123')).statusCode, 404);
    assert.equal((await agent.get('/account/connected-services/abc')).statusCode, 404);
    const anon = await app.inject({ method: 'GET', url: `/account/connected-services/${case1.app_id}` });
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/login\?next=/);
    const post = await app.inject({
      method: 'POST',
      url: `/account/connected-services/${case1.app_id}/delete-all`,
      payload: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    assert.equal(post.statusCode, 401);
  });
});
