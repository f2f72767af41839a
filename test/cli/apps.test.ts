/**
 * `yeon app create|list|show` and `yeon token create` as real processes on the
 * lane's database; the printed credentials and token work against the app in this process.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { TEST_SECRETS } from '../helpers/build-test-app.ts';
import { laneEnv, run } from './cli-process.ts';

async function withOwner(t: Parameters<typeof laneEnv>[0]) {
  const lane = await laneEnv(t);
  const user = await run(
    ['user', 'create', '--email', 'dev@example.com', '--password', 'correct horse battery'],
    lane.env,
  );
  assert.equal(user.code, 0, user.stderr);
  return lane;
}

describe('yeon app', { concurrency: true }, () => {
  it('creates an app with every option, prints its credentials, and lists and shows it', async (t) => {
    const lane = await withOwner(t);
    const { env } = lane;
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
        '--redirect-uri',
        'http://localhost:3000/cb',
        '--consent',
        'account_email=required',
        '--consent',
        'gender=during-use',
        '--unlink-url',
        'http://127.0.0.1:4000/unlink',
        '--unlink-method',
        'GET',
        '--site-url',
        'https://shop.example.com',
        '--android-package',
        'com.example.shop',
        '--android-market-url',
        'market://details?id=com.example.shop',
        '--ios-bundle-id',
        'com.example.shop',
        '--ios-store-url',
        'https://apps.apple.com/app/id123',
        '--client-secret',
        'on',
        '--oidc',
        'off',
        '--company',
        'ACME',
        '--json',
      ],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const out = JSON.parse(created.stdout);
    assert.deepEqual(Object.keys(out).sort(), [
      'admin_key',
      'app_id',
      'client_secret',
      'javascript_key',
      'native_app_key',
      'rest_api_key',
      'webhook_secret',
    ]);
    assert.equal(typeof out.app_id, 'number');
    assert.match(out.webhook_secret, /^whsec_/);

    const list = await run(['app', 'list', '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      JSON.parse(list.stdout).map((a: { app_id: number; name: string; owners: string[] }) => [
        a.app_id,
        a.name,
        a.owners,
      ]),
      [[out.app_id, 'Shop', ['dev@example.com']]],
    );
    const mine = await run(['app', 'list', '--owner', 'dev@example.com'], env);
    assert.match(mine.stdout, new RegExp(`^${out.app_id}\\s+Shop\\s+owner$`, 'm'));

    const show = await run(['app', 'show', String(out.app_id), '--json'], env);
    assert.equal(show.code, 0, show.stderr);
    const detail = JSON.parse(show.stdout);
    assert.equal(detail.keys.rest_api, out.rest_api_key);
    assert.deepEqual(detail.client_secret, { enabled: true, value: out.client_secret });
    assert.equal(detail.login.oidc_enabled, false);
    assert.deepEqual(detail.login.redirect_uris, ['https://shop.example.com/cb', 'http://localhost:3000/cb']);
    assert.equal(detail.company_name, 'ACME');
    assert.deepEqual(
      detail.consent_items
        .filter((c: { mode: string }) => c.mode !== 'off')
        .map((c: { item: string; mode: string }) => `${c.item}=${c.mode}`),
      ['profile_nickname=required', 'account_email=required', 'gender=during_use'],
    );
    assert.deepEqual(detail.platforms, {
      site_urls: ['https://shop.example.com'],
      android: { package_name: 'com.example.shop', market_url: 'market://details?id=com.example.shop' },
      ios: { bundle_id: 'com.example.shop', app_store_url: 'https://apps.apple.com/app/id123' },
    });
    assert.equal(detail.unlink.callback_url, 'http://127.0.0.1:4000/unlink');
    assert.equal(detail.unlink.method, 'GET');

    // A token from the CLI works against the API of an app on the same database.
    const token = await run(['token', 'create', '--owner', 'dev@example.com', '--json'], env);
    assert.equal(token.code, 0, token.stderr);
    const { token: bearer } = JSON.parse(token.stdout);
    const config = { ...loadConfig({ YEON_ENV: 'test' }), database: lane.testDb.config };
    const db = createDb(config.database);
    const app = await buildApp({ config, secrets: TEST_SECRETS, db, logger: false });
    lane.beforeDrop(async () => {
      await app.close();
      await db.destroy();
    });
    const res = await app.inject({ url: '/api/v1/apps', headers: { authorization: `Bearer ${bearer}` } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().apps[0].id, out.app_id);
    assert.equal((await app.services.apps.findAppByAdminKey(out.admin_key))?.id, out.app_id);
  });

  it('refuses invalid input naming the option, exits non-zero and saves nothing', async (t) => {
    const { env } = await withOwner(t);
    const bad = await run(
      [
        'app',
        'create',
        '--name',
        'Bad',
        '--owner',
        'dev@example.com',
        '--redirect-uri',
        'http://shop.example.com/cb',
        '--consent',
        'shoe_size=required',
        '--android-package',
        'nodots',
        '--unlink-url',
        'http://10.0.0.1/unlink',
      ],
      env,
    );
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /nothing was saved/);
    assert.match(bad.stderr, /--redirect-uri: .*http:\/\/shop\.example\.com\/cb.*https/);
    assert.match(bad.stderr, /--consent: .*shoe_size/);
    assert.match(bad.stderr, /--android-package: .*nodots/);
    assert.match(bad.stderr, /--unlink-url: .*private or internal address/);

    const syntax = await run(
      [
        'app',
        'create',
        '--name',
        'Bad',
        '--owner',
        'dev@example.com',
        '--redirect-uri',
        'https://x.example.com',
        '--consent',
        'gender',
      ],
      env,
    );
    assert.notEqual(syntax.code, 0);
    assert.match(syntax.stderr, /--consent: "gender" must look like ITEM=/);

    const owner = await run(
      [
        'app',
        'create',
        '--name',
        'Bad',
        '--owner',
        'nobody@example.com',
        '--redirect-uri',
        'https://x.example.com',
      ],
      env,
    );
    assert.notEqual(owner.code, 0);
    assert.match(owner.stderr, /--owner: no account uses the email "nobody@example\.com"/);

    const list = await run(['app', 'list', '--json'], env);
    assert.deepEqual(JSON.parse(list.stdout), []);
    const show = await run(['app', 'show', '12345'], env);
    assert.notEqual(show.code, 0);
    assert.match(show.stderr, /no app 12345/);
  });
});
