/**
 * The pages of Manage Connected Services: reached from /account, the list
 * and detail in both languages, consent withdrawal with its confirmation (and its effect through
 * the Kakao API), required items that cannot be withdrawn, and the history's notification states.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kapi } from '../kakao/helpers.ts';
import { notificationsOf, setupConnected } from './fixtures.ts';

describe('Manage Connected Services: pages', () => {
  test('Account → Account use → Manage Connected Services lists each app with icon, company and date', async (t) => {
    const { agent, case1, case2 } = await setupConnected(t);
    const account = await agent.get('/account');
    assert.match(
      account.body,
      /href="\/account\/connected-services"[^>]*>\s*<span>Manage Connected Services/,
    );
    assert.match(account.body, /href="\/account\/delete"/);
    const list = await agent.get('/account/connected-services');
    assert.equal(list.statusCode, 200);
    assert.equal(list.headers['cache-control'], 'no-store');
    for (const a of [case1, case2])
      assert.match(list.body, new RegExp(`href="/account/connected-services/${a.app_id}"`));
    assert.match(list.body, /Callback Shop/);
    assert.match(list.body, /Quiet Shop/);
    assert.match(list.body, /Example Corp/);
    assert.match(
      list.body,
      /Connected (?:now|\d+ seconds? ago)/,
      'a connection made just now reads as recent',
    );
    assert.doesNotMatch(list.body, /Previously connected/);
    assert.match(list.body, /href="\/assets\/connected.css"/);
    const css = await agent.get('/assets/connected.css');
    assert.equal(css.statusCode, 200);
  });

  test('Korean: the same pages in Korean', async (t) => {
    const { agent, case1 } = await setupConnected(t, { headers: { 'accept-language': 'ko' } });
    const list = await agent.get('/account/connected-services');
    assert.match(list.body, /<html lang="ko"/);
    assert.match(list.body, /연결된 서비스 관리/);
    const detail = await agent.get(`/account/connected-services/${case1.app_id}`);
    assert.match(detail.body, /모든 정보 삭제/);
    assert.match(detail.body, /동의 철회/);
    assert.doesNotMatch(detail.body, /연결 끊기<\/a>/);
  });

  test('detail: required and optional items with dates, privacy link; only optional items can be withdrawn', async (t) => {
    const { agent, case1 } = await setupConnected(t);
    const detail = await agent.get(`/account/connected-services/${case1.app_id}`);
    assert.equal(detail.statusCode, 200);
    assert.match(
      detail.body,
      /data-item="profile_nickname"[\s\S]*?Required[\s\S]*?Agreed on [\s\S]*?unlink the app below/,
    );
    assert.match(detail.body, /data-item="account_email"[\s\S]*?Optional[\s\S]*?Agreed on /);
    assert.match(detail.body, /href="https:\/\/example.com\/privacy"[^>]*>Privacy policy of Callback Shop/);
    assert.match(
      detail.body,
      new RegExp(`href="/account/connected-services/${case1.app_id}/withdraw/account_email"`),
    );
    assert.doesNotMatch(detail.body, /withdraw\/profile_nickname/);
    // Typing the URL of a required item is refused too.
    const refused = await agent.get(`/account/connected-services/${case1.app_id}/withdraw/profile_nickname`);
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /cannot be withdrawn/);
    // An item never agreed to is simply not there.
    assert.equal(
      (await agent.get(`/account/connected-services/${case1.app_id}/withdraw/gender`)).statusCode,
      404,
    );
  });

  test('withdraw consent: confirmation → POST → the item is gone from /v2/user/me and scopes say agreed:false', async (t) => {
    const { app, db, agent, person, case1, token1 } = await setupConnected(t);
    const before = (await kapi(app, 'GET', '/v2/user/me', { bearer: token1 })).json();
    assert.equal(before.kakao_account.email, person.email);

    const confirm = await agent.get(`/account/connected-services/${case1.app_id}/withdraw/account_email`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Stop sharing “Email address” with Callback Shop\?/);
    const done = await agent.post(`/account/connected-services/${case1.app_id}/withdraw/account_email`, {});
    assert.equal(done.statusCode, 303);
    assert.equal(
      done.headers.location,
      `/account/connected-services/${case1.app_id}?withdrawn=account_email`,
    );
    const live = await app.services.connections.getLive(person.id, case1.app_id);
    assert.deepEqual(live?.items, ['profile_nickname']);

    const after = (await kapi(app, 'GET', '/v2/user/me', { bearer: token1 })).json();
    assert.equal(after.kakao_account?.email, undefined);
    const scopes = (await kapi(app, 'GET', '/v2/user/scopes', { bearer: token1 })).json() as {
      scopes: Array<{ id: string; agreed: boolean }>;
    };
    assert.equal(scopes.scopes.find((s) => s.id === 'account_email')?.agreed, false);
    // A Kakao-format app subscribes to no extra events: withdrawing writes no notification.
    assert.deepEqual(await notificationsOf(db, case1.app_id), []);

    const detail = await agent.get(done.headers.location as string);
    assert.match(detail.body, /Consent withdrawn: Email address/);
    assert.match(detail.body, /data-item="account_email"[\s\S]*?Withdrawn on /);
    assert.doesNotMatch(detail.body, /withdraw\/account_email/);
    // The app is still connected: withdrawing is not unlinking.
    assert.ok(await app.services.connections.getLive(person.id, case1.app_id));
  });

  test('withdrawing records user.scope_withdrawn for an app that subscribes to it (JSON format)', async (t) => {
    const { db, agent, case1, link1 } = await setupConnected(t);
    await db
      .updateTable('apps')
      .set({ unlink_format: 'json', notify_events: '["user.scope_withdrawn"]' })
      .where('id', '=', case1.app_id)
      .execute();
    await agent.get(`/account/connected-services/${case1.app_id}/withdraw/account_email`);
    await agent.post(`/account/connected-services/${case1.app_id}/withdraw/account_email`, {});
    const rows = await notificationsOf(db, case1.app_id);
    assert.deepEqual(
      rows.map((r) => [r.event_type, r.referrer_type, r.app_user_id]),
      [['user.scope_withdrawn', null, link1.appUserId]],
    );
  });

  test('forms need the CSRF token', async (t) => {
    const { app, agent, person, case1 } = await setupConnected(t);
    await agent.get(`/account/connected-services/${case1.app_id}/delete-all`);
    const res = await agent.post(`/account/connected-services/${case1.app_id}/delete-all`, {
      _csrf: 'forged',
    });
    assert.equal(res.statusCode, 403);
    assert.ok(await app.services.connections.getLive(person.id, case1.app_id));
  });

  test('history: notification delivered, then the deletion receipt with its status link', async (t) => {
    const { db, agent, case1 } = await setupConnected(t);
    await agent.get(`/account/connected-services/${case1.app_id}/delete-all`);
    await agent.post(`/account/connected-services/${case1.app_id}/delete-all`, {});
    const [row] = await notificationsOf(db, case1.app_id);
    const at = Date.UTC(2026, 10, 24, 9, 30);
    // What the dispatcher and the app API write; this page only reads it.
    await db
      .updateTable('notifications')
      .set({ status: 'delivered', delivered_at: at })
      .where('id', '=', row!.id)
      .execute();
    let list = await agent.get('/account/connected-services');
    assert.match(list.body, /data-notification="delivered"[^>]*>Notification to the app: delivered on /);
    assert.doesNotMatch(list.body, /Deletion confirmed/);
    await db
      .updateTable('notifications')
      .set({
        deletion_confirmed_at: at + 60_000,
        deletion_confirmation_code: 'DEL-42',
        deletion_status_url: 'https://shop.example/deletion/DEL-42',
      })
      .where('id', '=', row!.id)
      .execute();
    list = await agent.get('/account/connected-services');
    assert.match(list.body, /Deletion confirmed by the app on /);
    assert.match(list.body, /Confirmation code: DEL-42/);
    assert.match(list.body, /href="https:\/\/shop.example\/deletion\/DEL-42"/);

    await db.updateTable('notifications').set({ status: 'failed' }).where('id', '=', row!.id).execute();
    list = await agent.get('/account/connected-services');
    assert.match(list.body, /data-notification="failed"[^>]*>Notification to the app: failed/);
  });
});
