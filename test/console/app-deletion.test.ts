/**
 * Deleting an app: it is gone at once for everyone (the console's list and page, the JSON API,
 * OAuth, the Kakao API with its admin key), while the unlink notifications it owes its 2 linked
 * users are still delivered afterwards, with its admin key in the callback's header; its row is
 * purged only once none of them is pending. Real app, real loopback receiver; only the clock is fake.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { fakeClock } from '../../src/lib/clock.ts';
import { DELETED_APP_NOTIFY_HORIZON_MS, purgeDeletedApps } from '../../src/modules/apps/app-deletion.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { createAppViaPage, detailOf, signedIn, submit } from '../http/console-helpers.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import { insertAccount, testDispatcher } from '../notifications/helpers.ts';

async function setup(t: TestContext) {
  const clock = fakeClock(Date.now());
  const { app } = await buildTestApp(t, { clock });
  let answer = 200;
  const rx = await startReceiver(t, (_req, res) => res.writeHead(answer).end(answer < 300 ? 'ok' : 'down'));
  const owner = await signedIn(app, 'owner@example.com');
  const appId = await createAppViaPage(owner, 'Doomed app');
  const unlink = `/developers/apps/${appId}/unlink`;
  const saved = await submit(owner, unlink, unlink, {
    callback_url: `${rx.url}/unlink`,
    method: 'POST',
    state: 'active',
    format: 'kakao',
  });
  assert.equal(saved.statusCode, 303, saved.body);
  const token = (await app.services.developerTokens.createToken(owner.accountId)).token;
  const api = (method: 'GET' | 'DELETE', url: string) =>
    app.inject({ method, url, headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
  const { keys } = await detailOf(app, owner.accountId, appId);
  const adminKey = keys.admin[0]!.key!;
  return { app, clock, rx, owner, appId, api, keys, adminKey, answerWith: (s: number) => (answer = s) };
}

/** What each way in says about the app, in one record. */
async function seenFrom(ctx: Awaited<ReturnType<typeof setup>>) {
  const { app, owner, appId, api, keys, adminKey } = ctx;
  const list = await owner.get('/developers');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: keys.rest_api,
    redirect_uri: 'https://x.example/cb',
  });
  const authorize = await app.inject({ url: `/oauth/authorize?${query}`, headers: { accept: 'text/html' } });
  const kakao = await app.inject({ url: '/v1/user/ids', headers: { authorization: `KakaoAK ${adminKey}` } });
  return {
    listed: list.body.includes('Doomed app'),
    page: (await owner.get(`/developers/apps/${appId}`)).statusCode,
    api: (await api('GET', `/api/v1/apps/${appId}`)).statusCode,
    apiListed: (await api('GET', '/api/v1/apps')).body.includes(String(appId)),
    unknownClient: authorize.body.includes('KOE101'),
    kakao: kakao.statusCode === 200 ? 200 : kakao.json().code,
  };
}

const rowOf = (ctx: { app: { db: Awaited<ReturnType<typeof buildTestApp>>['db'] } }, appId: number) =>
  ctx.app.db.selectFrom('apps').select(['id', 'deleted_at']).where('id', '=', appId).executeTakeFirst();

describe('deleting an app', () => {
  it('is gone everywhere at once, tells its 2 users afterwards, and is purged once nothing is pending', async (t) => {
    const ctx = await setup(t);
    const { app, clock, rx, owner, appId, api, adminKey } = ctx;
    const people = [await insertAccount(app.db, 'a'), await insertAccount(app.db, 'b')];
    for (const accountId of people)
      await app.services.connections.agree({ accountId, appId, items: ['profile_nickname'] });
    assert.deepEqual(await seenFrom(ctx), {
      listed: true,
      page: 200,
      api: 200,
      apiListed: true,
      unknownClient: false,
      kakao: 200,
    });

    const page = `/developers/apps/${appId}`;
    const deleted = await submit(owner, page, `${page}/delete`, { confirm_name: 'Doomed app' });
    assert.equal(deleted.statusCode, 303, deleted.body);
    assert.equal(deleted.headers.location, '/developers?done=deleted_notifying&n=2');
    const notice = await owner.get(String(deleted.headers.location));
    assert.match(
      notice.body,
      /The app has been deleted\. Unlink notifications for 2 user\(s\) are being delivered/,
    );

    assert.deepEqual(await seenFrom(ctx), {
      listed: false,
      page: 404,
      api: 404,
      apiListed: false,
      unknownClient: true,
      kakao: -401,
    });
    assert.equal(
      (await api('DELETE', `/api/v1/apps/${appId}`)).statusCode,
      404,
      'a second delete finds nothing',
    );
    const links = await app.db
      .selectFrom('connections')
      .select('status')
      .where('app_id', '=', appId)
      .execute();
    assert.deepEqual(
      links.map((l) => l.status),
      ['unlinked', 'unlinked'],
    );

    // The receiver is down: both notifications wait for a retry, so the row stays.
    ctx.answerWith(503);
    await testDispatcher(app, clock).tick();
    assert.equal(rx.requests.length, 2);
    assert.equal(await purgeDeletedApps(app.db, clock.now()), 0);
    assert.ok((await rowOf(ctx, appId))?.deleted_at, 'kept, marked deleted');

    // Back up: the retries are delivered with the deleted app's admin key, then the row goes.
    ctx.answerWith(200);
    clock.advance(6_000);
    const { delivered } = await testDispatcher(app, clock).tick();
    assert.equal(delivered, 2);
    const retries = rx.requests.slice(2);
    assert.equal(retries.length, 2);
    for (const r of retries) {
      assert.equal(r.headers.authorization, `KakaoAK ${adminKey}`);
      assert.match(r.body, /referrer_type=UNLINK_FROM_ADMIN/);
    }
    assert.equal(await purgeDeletedApps(app.db, clock.now()), 1);
    assert.equal(await rowOf(ctx, appId), undefined, 'purged');
    const keysLeft = await app.db.selectFrom('app_keys').select('id').where('app_id', '=', appId).execute();
    assert.equal(keysLeft.length, 0, 'its keys went with it');
    const sent = await app.db
      .selectFrom('notifications')
      .select('status')
      .where('app_id', '=', appId)
      .execute();
    assert.deepEqual(
      sent.map((n) => n.status),
      ['delivered', 'delivered'],
      'the history stays',
    );
  });

  it('through the API: 204, gone at once, and purged at once with nothing to deliver', async (t) => {
    const ctx = await setup(t);
    const { app, clock, appId, api } = ctx;
    const res = await api('DELETE', `/api/v1/apps/${appId}`);
    assert.equal(res.statusCode, 204, res.body);
    assert.equal((await seenFrom(ctx)).api, 404);
    assert.equal(await purgeDeletedApps(app.db, clock.now()), 1);
    assert.equal(await rowOf(ctx, appId), undefined);
  });

  it('behind a paused callback, keeps its notifications 30 days, then gives them up and goes', async (t) => {
    const ctx = await setup(t);
    const { app, clock, rx, owner, appId } = ctx;
    const accountId = await insertAccount(app.db, 'a');
    await app.services.connections.agree({ accountId, appId, items: ['profile_nickname'] });
    await app.db.updateTable('apps').set({ unlink_state: 'paused' }).where('id', '=', appId).execute();
    const page = `/developers/apps/${appId}`;
    const deleted = await submit(owner, page, `${page}/delete`, { confirm_name: 'Doomed app' });
    assert.equal(deleted.statusCode, 303, deleted.body);
    await testDispatcher(app, clock).tick();
    assert.equal(rx.requests.length, 0, 'a paused callback is not called');

    clock.advance(DELETED_APP_NOTIFY_HORIZON_MS - 1);
    assert.equal(await purgeDeletedApps(app.db, clock.now()), 0, 'still owed within the horizon');
    clock.advance(1);
    assert.equal(await purgeDeletedApps(app.db, clock.now()), 1);
    const left = await app.db
      .selectFrom('notifications')
      .select(['status', 'last_error'])
      .where('app_id', '=', appId)
      .execute();
    assert.deepEqual(left, [{ status: 'failed', last_error: 'app_deleted' }]);
  });
});
