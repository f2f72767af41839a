/**
 * Reissuing keys through the JSON API (/api/v1/apps/:app_id/keys…) and `yeon app keys`: the same
 * service as the console (src/modules/apps/app-key-rotation.ts), so the same policy (members get
 * 403) and the same validation (400 naming the field).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { laneEnv, run } from '../cli/cli-process.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { joinByInvitation } from '../helpers/team.ts';
import { kapi } from '../kakao/helpers.ts';
import { createCast } from '../modules/apps/fixtures.ts';

type Method = 'GET' | 'POST';

function client(app: FastifyInstance, token: string) {
  return (method: Method, url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: { accept: 'application/json', 'accept-language': 'en', authorization: `Bearer ${token}` },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
}

describe('JSON API: app keys', () => {
  it('lists, reissues with an overlap and stops a replaced key; a member gets 403', async (t) => {
    const { app } = await buildTestApp(t);
    const cast = await createCast(app);
    const tokens = app.services.developerTokens;
    const owner = client(app, (await tokens.createToken(cast.owner.accountId)).token);
    const member = client(app, (await tokens.createToken(cast.member.accountId)).token);
    const created = (
      await owner('POST', '/api/v1/apps', { name: 'API app', redirect_uris: ['https://api.example.com/cb'] })
    ).json() as { app_id: number; admin_key: string };
    await joinByInvitation(app, cast.owner, created.app_id, { email: cast.emails.member, role: 'member' });
    const base = `/api/v1/apps/${created.app_id}`;

    const bad = await owner('POST', `${base}/keys/rotate`, { kind: 'admin', overlap: '1y' });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal((await member('POST', `${base}/keys/rotate`, { kind: 'admin' })).statusCode, 403);

    const res = await owner('POST', `${base}/keys/rotate`, { kind: 'admin', overlap: '7d' });
    assert.equal(res.statusCode, 201, res.body);
    const rotated = res.json() as { id: string; kind: string; key: string; previous_expires_at: number };
    assert.equal(rotated.kind, 'admin');
    assert.match(rotated.key, /^[0-9a-f]{32}$/);

    const listed = (await owner('GET', `${base}/keys`)).json().keys as Array<{
      id: string;
      kind: string;
      key: string | null;
      expires_at: number | null;
    }>;
    const old = listed.find((k) => k.key === created.admin_key)!;
    assert.equal(old.expires_at, rotated.previous_expires_at);
    assert.equal(listed.find((k) => k.key === rotated.key)?.expires_at, null);
    // members list the keys without admin key values
    const seen = (await member('GET', `${base}/keys`)).json().keys as Array<{
      kind: string;
      key: string | null;
    }>;
    assert.ok(seen.filter((k) => k.kind === 'admin').every((k) => k.key === null));

    const users = (adminKey: string) =>
      kapi(
        app,
        'GET',
        '/v2/app/users',
        { kakaoAK: adminKey },
        { target_id_type: 'user_id', target_ids: '[1]' },
      );
    // both admin keys work during the overlap; after "stop" only the new one does
    assert.equal((await users(created.admin_key)).statusCode, 200);
    assert.equal((await member('POST', `${base}/keys/${old.id}/stop`)).statusCode, 403);
    const stopped = await owner('POST', `${base}/keys/${old.id}/stop`);
    assert.equal(stopped.statusCode, 204, stopped.body);
    const refused = await users(created.admin_key);
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().code, -401);
    assert.equal((await users(rotated.key)).statusCode, 200);
    assert.equal((await owner('POST', `${base}/keys/${old.id}/stop`)).statusCode, 404);
  });
});

describe('OpenAPI: app keys', () => {
  it('documents listing, reissuing and stopping keys at /docs/json', async (t) => {
    const { app } = await buildTestApp(t);
    const doc = (await app.inject({ url: '/docs/json' })).json();
    const paths = doc.paths as Record<string, Record<string, { summary?: string }>>;
    assert.ok(paths['/api/v1/apps/{app_id}/keys']?.get?.summary);
    assert.ok(paths['/api/v1/apps/{app_id}/keys/rotate']?.post?.summary);
    assert.ok(paths['/api/v1/apps/{app_id}/keys/{key_id}/stop']?.post?.summary);
  });
});

describe('yeon app keys', () => {
  it('rotate prints the new key and when the old one stops; list shows both; a bad --overlap exits non-zero', async (t) => {
    const lane = await laneEnv(t);
    const { env } = lane;
    const user = await run(
      ['user', 'create', '--email', 'dev@example.com', '--password', 'correct horse battery'],
      env,
    );
    assert.equal(user.code, 0, user.stderr);
    const created = await run(
      [
        'app',
        'create',
        '--name',
        'Shop',
        '--owner',
        'dev@example.com',
        '--redirect-uri',
        'https://shop.example.com/cb',
        '--json',
      ],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const out = JSON.parse(created.stdout) as { app_id: number; rest_api_key: string };
    const appId = String(out.app_id);

    const bad = await run(['app', 'keys', 'rotate', appId, '--kind', 'rest_api', '--overlap', '3d'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--overlap/);

    const rotated = await run(
      ['app', 'keys', 'rotate', appId, '--kind', 'rest_api', '--overlap', '1h', '--json'],
      env,
    );
    assert.equal(rotated.code, 0, rotated.stderr);
    const body = JSON.parse(rotated.stdout) as { key: string; previous_expires_at: number };

    const list = await run(['app', 'keys', 'list', appId, '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    const keys = JSON.parse(list.stdout) as Array<{ kind: string; key: string; expires_at: number | null }>;
    const rest = keys.filter((k) => k.kind === 'rest_api');
    assert.deepEqual(
      rest.map((k) => [k.key, k.expires_at]),
      [
        [body.key, null],
        [out.rest_api_key, body.previous_expires_at],
      ],
    );
    const text = await run(['app', 'keys', 'list', appId], env);
    assert.match(text.stdout, new RegExp(`rest_api\\s+${out.rest_api_key}\\s+works until \\d{4}-`));
  });
});
