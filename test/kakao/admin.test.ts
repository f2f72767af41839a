/**
 * Admin-key APIs (Kakao REST API "Retrieve user list", "Retrieve multiple user information";
 * Kakao's IP list API): GET /v1/user/ids with Kakao's pagination, GET /v2/app/users, GET
 * /v1/system/ips.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createKakaoApp, createPerson, type KakaoApp, kapi, link, setup } from './helpers.ts';

async function linkPeople(app: FastifyInstance, client: KakaoApp, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const person = await createPerson(app);
    ids.push((await link(app, person.id, client, ['profile_nickname'])).appUserId);
  }
  return ids;
}

/** Follows before_url/after_url (absolute, on our issuer) from a first page; bounded. */
async function walk(
  app: FastifyInstance,
  adminKey: string,
  issuer: string,
  first: string,
  link: 'after_url' | 'before_url',
) {
  const pages: number[][] = [];
  let url: string | null = first;
  for (let hop = 0; url && hop < 20; hop++) {
    const res: LightMyRequestResponse = await app.inject({
      method: 'GET',
      url,
      headers: { authorization: `KakaoAK ${adminKey}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['elements', 'before_url', 'after_url']);
    pages.push(body.elements);
    const next = body[link] as string | null;
    if (next) assert.ok(next.startsWith(`${issuer}/v1/user/ids?`), next);
    url = next ? next.slice(issuer.length) : null;
  }
  return pages;
}

describe('GET /v1/user/ids', () => {
  test('pages forward with after_url (asc) and back with before_url (desc); ends with null', async (t) => {
    const { app, config, client, appUserId } = await setup(t);
    const ids = [appUserId, ...(await linkPeople(app, client, 4))].sort((a, b) => a - b);
    const forward = await walk(app, client.admin_key, config.issuer, '/v1/user/ids?limit=2', 'after_url');
    assert.deepEqual(forward, [ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    const back = await walk(
      app,
      client.admin_key,
      config.issuer,
      '/v1/user/ids?limit=2&order=desc',
      'before_url',
    );
    const desc = [...ids].reverse();
    assert.deepEqual(back, [desc.slice(0, 2), desc.slice(2, 4), desc.slice(4)]);
    // first page of each direction has no link backwards
    const first = (
      await kapi(app, 'GET', '/v1/user/ids', { kakaoAK: client.admin_key }, { limit: '2' })
    ).json();
    assert.equal(first.before_url, null);
    // from_id is inclusive; `dsc` is accepted for desc; default limit 100 returns all
    const from = (
      await kapi(
        app,
        'GET',
        '/v1/user/ids',
        { kakaoAK: client.admin_key },
        { from_id: String(ids[2]), order: 'dsc' },
      )
    ).json();
    assert.deepEqual(from.elements, [ids[2], ids[1], ids[0]]);
    const all = (await kapi(app, 'GET', '/v1/user/ids', { kakaoAK: client.admin_key })).json();
    assert.deepEqual(all, { elements: ids, before_url: null, after_url: null });
  });

  test('only linked users of this app; an unlinked user drops out', async (t) => {
    const { app, client, person, appUserId } = await setup(t);
    const other = await createKakaoApp(app);
    await link(app, person.id, other, ['profile_nickname']);
    assert.deepEqual(
      (await kapi(app, 'GET', '/v1/user/ids', { kakaoAK: client.admin_key })).json().elements,
      [appUserId],
    );
    await app.services.connections.unlink({ accountId: person.id, appId: client.app_id, by: 'disconnect' });
    assert.deepEqual(
      (await kapi(app, 'GET', '/v1/user/ids', { kakaoAK: client.admin_key })).json().elements,
      [],
    );
  });

  test('errors: Bearer or a non-admin key -401; limit outside 1–100, bad order or from_id -2', async (t) => {
    const { app, client, token } = await setup(t);
    for (const auth of [{ bearer: token }, { kakaoAK: client.rest_api_key }, {}]) {
      const res = await kapi(app, 'GET', '/v1/user/ids', auth);
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), { msg: 'wrong appKey(admin key) type or invalid appKey.', code: -401 });
    }
    const invalid: Array<Record<string, string>> = [
      { limit: '0' },
      { limit: '101' },
      { limit: 'x' },
      { order: 'up' },
      { from_id: '-3' },
    ];
    for (const params of invalid) {
      const res = await kapi(app, 'GET', '/v1/user/ids', { kakaoAK: client.admin_key }, params);
      assert.equal(res.statusCode, 400, JSON.stringify(params));
      assert.equal(res.json().code, -2);
    }
  });
});

describe('GET /v2/app/users', () => {
  test('a bare array (the documented examples) of linked users; property_keys adds kakao_account', async (t) => {
    const { app, client, person, appUserId } = await setup(t);
    const [second] = await linkPeople(app, client, 1);
    const ids = JSON.stringify([appUserId, second, 12345]);
    const res = await kapi(
      app,
      'GET',
      '/v2/app/users',
      { kakaoAK: client.admin_key },
      {
        target_id_type: 'user_id',
        target_ids: ids,
      },
    );
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.ok(Array.isArray(body));
    assert.deepEqual(
      body.map((u: Record<string, unknown>) => [u.id, Object.keys(u)]),
      [
        [appUserId, ['id', 'connected_at']],
        [second, ['id', 'connected_at']],
      ],
    );
    const withAccount = await kapi(
      app,
      'GET',
      '/v2/app/users',
      { kakaoAK: client.admin_key },
      {
        target_id_type: 'user_id',
        target_ids: JSON.stringify([appUserId]),
        property_keys: '["kakao_account."]',
      },
    );
    const [user] = withAccount.json();
    assert.equal(user.kakao_account.email, person.email);
    assert.equal(user.properties, undefined);
  });

  test('errors: target_id_type missing, no ids, over 100 (20 with property_keys), unknown property key → -2; Bearer -401', async (t) => {
    const { app, client, token, appUserId } = await setup(t);
    const many = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => i + 1));
    const cases: Array<Record<string, string>> = [
      { target_ids: JSON.stringify([appUserId]) },
      { target_id_type: 'user_id' },
      { target_id_type: 'user_id', target_ids: many(101) },
      { target_id_type: 'user_id', target_ids: many(21), property_keys: '["kakao_account."]' },
      { target_id_type: 'user_id', target_ids: '["abc"]' },
      { target_id_type: 'user_id', target_ids: JSON.stringify([appUserId]), property_keys: '["nope"]' },
    ];
    for (const params of cases) {
      const res = await kapi(app, 'GET', '/v2/app/users', { kakaoAK: client.admin_key }, params);
      assert.equal(res.statusCode, 400, JSON.stringify(params));
      assert.equal(res.json().code, -2);
    }
    const ok = await kapi(
      app,
      'GET',
      '/v2/app/users',
      { kakaoAK: client.admin_key },
      {
        target_id_type: 'user_id',
        target_ids: many(100),
      },
    );
    assert.equal(ok.statusCode, 200);
    const bearer = await kapi(
      app,
      'GET',
      '/v2/app/users',
      { bearer: token },
      { target_id_type: 'user_id', target_ids: '[1]' },
    );
    assert.equal(bearer.statusCode, 401);
  });
});

describe('GET /v1/system/ips', () => {
  test('any app key; inbound from the configured egress addresses; rule_type filters', async (t) => {
    const { app, client } = await setup(t, {}, { YEON_EGRESS_IPS: '203.0.113.7,198.51.100.0/24' });
    for (const key of [client.native_app_key, client.rest_api_key, client.javascript_key, client.admin_key]) {
      const res = await kapi(app, 'GET', '/v1/system/ips', { kakaoAK: key });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.deepEqual(Object.keys(body), ['inbound', 'outbound', 'updatedDate']);
      assert.deepEqual(body.inbound, [
        { type: 'callback', ip: '203.0.113.7' },
        { type: 'callback', ip: '198.51.100.0/24' },
      ]);
      assert.deepEqual(body.outbound, []);
      assert.match(body.updatedDate, /^\d{4}-\d\d-\d\d$/);
    }
    const inbound = (
      await kapi(app, 'GET', '/v1/system/ips', { kakaoAK: client.rest_api_key }, { rule_type: 'inbound' })
    ).json();
    assert.deepEqual(Object.keys(inbound), ['inbound', 'updatedDate']);
    const outbound = (
      await kapi(app, 'GET', '/v1/system/ips', { kakaoAK: client.rest_api_key }, { rule_type: 'outbound' })
    ).json();
    assert.deepEqual(Object.keys(outbound), ['outbound', 'updatedDate']);
    const bad = await kapi(
      app,
      'GET',
      '/v1/system/ips',
      { kakaoAK: client.rest_api_key },
      { rule_type: 'both' },
    );
    assert.equal(bad.json().code, -2);
    const wrong = await kapi(app, 'GET', '/v1/system/ips', { kakaoAK: 'nope' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().code, -401);
  });
});
