/**
 * The /v2/user/me reads, folded into few statements for speed (src/kakao/kakao-users.ts):
 * they must still read the app's current settings and the person's live state on every request.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kapi, setup } from './helpers.ts';

describe('GET /v2/user/me reads live settings', () => {
  test('an item the app switches off after the agreement leaves the answer; switched on, it is back', async (t) => {
    const { app, client, token, person } = await setup(t);
    const off = [{ item: 'account_email', mode: 'off' }];
    await app.services.apps.updateConsentItems({ accountId: client.ownerId }, client.app_id, off);
    const without = (await kapi(app, 'GET', '/v2/user/me', { bearer: token })).json();
    assert.equal('email' in without.kakao_account, false);
    assert.equal('email_needs_agreement' in without.kakao_account, false);

    const on = [{ item: 'account_email', mode: 'optional', purpose_en: 'Receipts', purpose_ko: '영수증' }];
    await app.services.apps.updateConsentItems({ accountId: client.ownerId }, client.app_id, on);
    const back = (await kapi(app, 'GET', '/v2/user/me', { bearer: token })).json();
    assert.equal(back.kakao_account.email, person.email);
    assert.equal(back.kakao_account.email_needs_agreement, false);
  });

  test('with every item switched off and no properties, the answer still has id and connected_at', async (t) => {
    const { app, client, token, appUserId } = await setup(t);
    const off = ['profile_nickname', 'account_email', 'name'].map((item) => ({ item, mode: 'off' }));
    await app.services.apps.updateConsentItems({ accountId: client.ownerId }, client.app_id, off);
    const res = await kapi(app, 'GET', '/v2/user/me', { bearer: token });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['id', 'connected_at', 'kakao_account']);
    assert.equal(body.id, appUserId);
    assert.deepEqual(body.kakao_account, {});
  });

  test('custom properties come back in key order, beside the agreed default ones', async (t) => {
    const { app, token } = await setup(t);
    const properties = JSON.stringify({ zeta: 'z', Alpha: 'A', beta: 'b' });
    const res = await kapi(app, 'POST', '/v1/user/update_profile', { bearer: token }, { properties });
    assert.equal(res.statusCode, 200, res.body);
    const me = (await kapi(app, 'GET', '/v2/user/me', { bearer: token })).json();
    assert.deepEqual(Object.keys(me.properties), ['Alpha', 'beta', 'zeta', 'nickname']);
  });
});
