/**
 * Reissuing an app key with an overlap (src/modules/apps/app-key-rotation.ts): during the overlap
 * the replaced REST API key still completes the authorization-code flow and a refresh, and the
 * replaced admin key still unlinks; once the key is stopped, or the clock passes its expiry, both
 * are refused with Kakao's errors (KOE on /oauth/*, -401 on the Kakao API) at once, while the new
 * keys work. Only owners and admins may reissue or stop keys.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fakeClock } from '../../src/lib/clock.ts';
import { loadTarget } from '../../src/modules/notifications/delivery.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { joinByInvitation } from '../helpers/team.ts';
import { createAppViaPage, detailOf, signedIn, submit } from '../http/console-helpers.ts';
import {
  Agent,
  appRedirect,
  authorize,
  createClientApp,
  createPerson,
  EN,
  exchange,
  submitConsent,
  submitLogin,
} from '../interaction/interaction-fixtures.ts';
import { kapi } from '../kakao/helpers.ts';

/** The whole browser flow for `clientId`: consent is asked only the first time. */
async function codeFlow(app: FastifyInstance, clientId: string, email: string) {
  const issuer = app.config.issuer;
  const browser = new Agent(app, EN);
  const { verifier } = await authorize(browser, issuer, clientId);
  let res = await submitLogin(browser, issuer, email);
  if (res.statusCode === 200) res = await submitConsent(browser, issuer, { action: 'agree_all' });
  const code = appRedirect(res).searchParams.get('code');
  assert.ok(code, `no code: ${res.headers.location}`);
  return exchange(app, clientId, code, verifier);
}

function refresh(app: FastifyInstance, clientId: string, refreshToken: string) {
  return app.inject({
    method: 'POST',
    url: '/oauth/token',
    payload: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: refreshToken,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
  });
}

/** The first step of a login with `clientId`: a redirect to the login page, or an error page. */
function oldAuthorize(app: FastifyInstance, clientId: string) {
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: 'https://rp.example/callback',
    response_type: 'code',
  });
  return new Agent(app, EN).get(`/oauth/authorize?${query}`);
}

const target = (id: number | string) => ({ target_id_type: 'user_id', target_id: String(id) });

async function start(t: Parameters<typeof buildTestApp>[0]) {
  // A clock that starts at the real time, so the engine's own token lifetimes agree with it.
  const clock = fakeClock(Date.now());
  const { app } = await buildTestApp(t, { clock });
  const client = await createClientApp(app);
  const owner = { accountId: (await app.services.apps.findOwnerActor(client.app_id))!.accountId };
  const person = await createPerson(app, 'Mina');
  return { app, clock, client, owner, person };
}

describe('reissuing app keys with an overlap', () => {
  it('the replaced REST API and admin keys keep working during the overlap and stop at once when stopped', async (t) => {
    const { app, clock, client, owner, person } = await start(t);
    const apps = app.services.apps;
    const rest = await apps.rotateAppKey(owner, client.app_id, { kind: 'rest_api', overlap: '24h' });
    const admin = await apps.rotateAppKey(owner, client.app_id, { kind: 'admin' });
    assert.notEqual(rest.key, client.rest_api_key);
    assert.equal(admin.previous_expires_at - clock.now(), 24 * 3_600_000);

    // The old REST API key: a whole authorization-code flow, a refresh, a user API call.
    const old = await codeFlow(app, client.rest_api_key, person.email);
    assert.equal(old.status, 200, JSON.stringify(old.body));
    const refreshed = await refresh(app, client.rest_api_key, old.body.refresh_token!);
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    const oldAccess = refreshed.json().access_token as string;
    const me = await kapi(app, 'GET', '/v2/user/me', { bearer: oldAccess });
    assert.equal(me.statusCode, 200, me.body);
    const appUserId = me.json().id as number;

    // The new key: the same person, the same app user id (links are per app, not per key).
    const fresh = await codeFlow(app, rest.key, person.email);
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    const meNew = await kapi(app, 'GET', '/v2/user/me', { bearer: fresh.body.access_token });
    assert.equal(meNew.json().id, appUserId);

    // The old admin key still unlinks; relink for what follows.
    const unlinked = await kapi(
      app,
      'POST',
      '/v1/user/unlink',
      { kakaoAK: client.admin_key },
      target(appUserId),
    );
    assert.equal(unlinked.statusCode, 200, unlinked.body);
    await app.services.connections.agree({
      accountId: person.id,
      appId: client.app_id,
      items: ['profile_nickname'],
    });
    const again = await codeFlow(app, client.rest_api_key, person.email);
    assert.equal(again.status, 200, JSON.stringify(again.body));

    // Stop both replaced keys now.
    const previous = (await detailOf(app, owner.accountId, client.app_id)).keys.previous;
    assert.deepEqual(previous.map((k) => k.kind).sort(), ['admin', 'rest_api']);
    for (const key of previous) await apps.stopPreviousKey(owner, client.app_id, key.id);

    const refusedRefresh = await refresh(app, client.rest_api_key, again.body.refresh_token!);
    assert.ok(refusedRefresh.statusCode >= 400, refusedRefresh.body);
    assert.match(refusedRefresh.json().error_code, /^KOE/);
    const refusedMe = await kapi(app, 'GET', '/v2/user/me', { bearer: again.body.access_token });
    assert.equal(refusedMe.statusCode, 401);
    assert.equal(refusedMe.json().code, -401);
    const refusedAdmin = await kapi(
      app,
      'POST',
      '/v1/user/unlink',
      { kakaoAK: client.admin_key },
      target(appUserId),
    );
    assert.equal(refusedAdmin.statusCode, 401);
    assert.deepEqual(refusedAdmin.json(), {
      msg: 'wrong appKey(admin key) type or invalid appKey.',
      code: -401,
    });
    const authorizeOld = await oldAuthorize(app, client.rest_api_key);
    assert.ok(authorizeOld.statusCode >= 400, `old key authorize: ${authorizeOld.statusCode}`);

    // The new keys work.
    const viaNew = await codeFlow(app, rest.key, person.email);
    assert.equal(viaNew.status, 200, JSON.stringify(viaNew.body));
    assert.equal((await refresh(app, rest.key, viaNew.body.refresh_token!)).statusCode, 200);
    const newAdmin = await kapi(app, 'POST', '/v1/user/unlink', { kakaoAK: admin.key }, target(appUserId));
    assert.equal(newAdmin.statusCode, 200, newAdmin.body);
  });

  it('unlink notifications carry the replaced admin key until it stops, then the new one', async (t) => {
    const { app, clock, client, owner } = await start(t);
    const apps = app.services.apps;
    await app.db
      .updateTable('apps')
      .set({ unlink_callback_url: 'https://rp.example/unlinked' })
      .where('id', '=', client.app_id)
      .execute();
    const adminKeyNow = async () => (await loadTarget(app.db, client.app_id, clock.now()))?.adminKey;
    assert.equal(await adminKeyNow(), client.admin_key);

    const rotated = await apps.rotateAppKey(owner, client.app_id, { kind: 'admin', overlap: '1h' });
    // The receiver still checks the old key: notifications keep carrying it during the overlap.
    assert.equal(await adminKeyNow(), client.admin_key);
    clock.advance(3_600_000);
    assert.equal(await adminKeyNow(), rotated.key);
  });

  it('the replaced keys stop when the clock passes the end of the overlap', async (t) => {
    const { app, clock, client, owner, person } = await start(t);
    const apps = app.services.apps;
    const tokens = await codeFlow(app, client.rest_api_key, person.email);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const bearer = tokens.body.access_token!;
    const appUserId = (await kapi(app, 'GET', '/v2/user/me', { bearer })).json().id;
    await apps.rotateAppKey(owner, client.app_id, { kind: 'rest_api', overlap: '1h' });
    await apps.rotateAppKey(owner, client.app_id, { kind: 'admin', overlap: '1h' });
    const ids = (params: Record<string, string>) =>
      kapi(app, 'GET', '/v1/user/ids', { kakaoAK: client.admin_key }, params);

    clock.advance(3_600_000 - 1);
    assert.equal((await kapi(app, 'GET', '/v2/user/me', { bearer })).statusCode, 200);
    assert.equal((await ids({})).statusCode, 200);
    assert.ok((await oldAuthorize(app, client.rest_api_key)).statusCode < 400);

    clock.advance(1);
    const me = await kapi(app, 'GET', '/v2/user/me', { bearer });
    assert.equal(me.statusCode, 401);
    assert.equal(me.json().code, -401);
    const admin = await kapi(
      app,
      'POST',
      '/v1/user/logout',
      { kakaoAK: client.admin_key },
      target(appUserId),
    );
    assert.equal(admin.statusCode, 401);
    assert.equal(admin.json().code, -401);
    assert.ok((await oldAuthorize(app, client.rest_api_key)).statusCode >= 400);
    assert.deepEqual((await detailOf(app, owner.accountId, client.app_id)).keys.previous, []);
  });

  it('refuses a member (403), an unknown choice (400) and a current key to "stop"', async (t) => {
    const { app, client, owner } = await start(t);
    const member = await createPerson(app, 'Sam');
    await joinByInvitation(app, owner, client.app_id, { email: member.email, role: 'member' });
    const apps = app.services.apps;
    await assert.rejects(apps.rotateAppKey({ accountId: member.id }, client.app_id, { kind: 'rest_api' }), {
      code: 'forbidden',
    });
    await assert.rejects(apps.rotateAppKey(owner, client.app_id, { kind: 'native' }), {
      code: 'validation_failed',
    });
    await assert.rejects(apps.rotateAppKey(owner, client.app_id, { kind: 'admin', overlap: '2d' }), {
      code: 'validation_failed',
    });
    const current = (await apps.listAppKeys(owner, client.app_id)).find((k) => k.kind === 'rest_api')!;
    await assert.rejects(apps.stopPreviousKey(owner, client.app_id, current.id), { code: 'not_found' });
    const rotated = await apps.rotateAppKey(owner, client.app_id, { kind: 'rest_api' });
    const old = (await apps.listAppKeys(owner, client.app_id)).find((k) => k.expires_at !== null)!;
    await assert.rejects(apps.stopPreviousKey({ accountId: member.id }, client.app_id, old.id), {
      code: 'forbidden',
    });
    // a member lists the keys, without admin key values
    const listed = await apps.listAppKeys({ accountId: member.id }, client.app_id);
    assert.ok(listed.some((k) => k.key === rotated.key));
    assert.ok(listed.filter((k) => k.kind === 'admin').every((k) => k.key === null));
  });

  it('keeps at most three working keys of a kind; "now" replaces them all at once', async (t) => {
    const { app, client, owner } = await start(t);
    const apps = app.services.apps;
    await apps.rotateAppKey(owner, client.app_id, { kind: 'javascript', overlap: '7d' });
    await apps.rotateAppKey(owner, client.app_id, { kind: 'javascript', overlap: '1h' });
    await assert.rejects(apps.rotateAppKey(owner, client.app_id, { kind: 'javascript', overlap: '24h' }), {
      code: 'app_key_rotation_limit',
    });
    const keys = (await apps.listAppKeys(owner, client.app_id)).filter((k) => k.kind === 'javascript');
    // the 7-day key was cut to the later rotation's hour: a rotation never extends an overlap
    assert.equal(new Set(keys.filter((k) => k.expires_at !== null).map((k) => k.expires_at)).size, 1);
    // the last current admin key cannot be revoked while only a replaced key would be left
    await apps.rotateAppKey(owner, client.app_id, { kind: 'admin', overlap: '24h' });
    const currentAdmin = (await detailOf(app, owner.accountId, client.app_id)).keys.admin;
    assert.equal(currentAdmin.length, 1);
    await assert.rejects(apps.revokeAdminKey(owner, client.app_id, currentAdmin[0]!.id), {
      code: 'app_last_admin_key',
    });
    const last = await apps.rotateAppKey(owner, client.app_id, { kind: 'javascript', overlap: 'now' });
    const after = (await apps.listAppKeys(owner, client.app_id)).filter((k) => k.kind === 'javascript');
    assert.deepEqual(
      after.map((k) => k.key),
      [last.key],
    );
  });
});

describe('console: reissue and stop', () => {
  it('reissues from the overview page, shows "works until" with a stop button, and stops the key', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const page = `/developers/apps/${id}`;
    const before = (await detailOf(app, mina.accountId, id)).keys.rest_api;

    const bad = await submit(mina, page, `${page}/keys/rotate`, { kind: 'rest_api', overlap: 'forever' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Choose how long the replaced key keeps working/);

    const res = await submit(mina, page, `${page}/keys/rotate`, { kind: 'rest_api', overlap: '24h' });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, `${page}?done=key_rotated#key-rotation`);
    const detail = await detailOf(app, mina.accountId, id);
    assert.notEqual(detail.keys.rest_api, before);
    const shown = (await mina.get(`${page}?done=key_rotated`)).body;
    assert.match(shown, /A new key has been issued/);
    assert.match(shown, /Replaced keys still working/);
    assert.match(shown, /Works until /);
    assert.ok(shown.includes(before));
    const prev = detail.keys.previous[0]!;
    assert.match(shown, new RegExp(`action="${page}/keys/stop"[\\s\\S]*?name="key_id" value="${prev.id}"`));

    const stopped = await submit(mina, page, `${page}/keys/stop`, { key_id: prev.id });
    assert.equal(stopped.headers.location, `${page}?done=key_stopped#key-rotation`);
    const after = (await mina.get(`${page}?done=key_stopped`)).body;
    assert.match(after, /The replaced key has stopped/);
    assert.ok(!after.includes(before));

    // a plain member sees no reissue form, and the form route answers 403
    const sam = await signedIn(app, 'sam@example.com');
    await joinByInvitation(app, { accountId: mina.accountId }, id, {
      email: 'sam@example.com',
      role: 'member',
    });
    const seen = await sam.get(page);
    assert.equal(seen.statusCode, 200);
    assert.ok(!seen.body.includes(`${page}/keys/rotate`));
    const refused = await sam.post(`${page}/keys/rotate`, { kind: 'rest_api', overlap: '24h' });
    assert.equal(refused.statusCode, 403);
    assert.equal((await detailOf(app, mina.accountId, id)).keys.previous.length, 0);
  });
});
