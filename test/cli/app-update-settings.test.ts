/**
 * `yeon app update` changes every setting the console and the management API can, one option group
 * at a time, through the same service methods (so the same validation): basics, icon, login,
 * client secret, consent items, platforms, unlink callback and events. Options not given keep
 * their setting; invalid input names its option and exits non-zero.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { laneEnv, run } from './cli-process.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

describe('yeon app update', () => {
  it('changes every option group, each through its service method', async (t) => {
    let env: Record<string, string>;
    let dataDir: string;
    let id: string;
    /** Runs `yeon app update <id> …args --json` and returns the app it prints. */
    const update = async (...args: string[]) => {
      const r = await run(['app', 'update', id, ...args, '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    const refused = async (...args: string[]) => {
      const r = await run(['app', 'update', id, ...args], env);
      assert.notEqual(r.code, 0, r.stdout);
      return r.stderr;
    };

    {
      const lane = await laneEnv(t);
      env = lane.env;
      dataDir = lane.dataDir;
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
          'Before',
          '--owner',
          'dev@example.com',
          '--redirect-uri',
          'https://a.example/cb',
          '--json',
        ],
        env,
      );
      assert.equal(created.code, 0, created.stderr);
      id = String(JSON.parse(created.stdout).app_id);
    }

    await t.test('basics: name, company and description; "" removes company', async () => {
      let d = await update('--name', 'After', '--company', 'ACME', '--description', 'Sells things');
      assert.deepEqual([d.name, d.company_name, d.description], ['After', 'ACME', 'Sells things']);
      d = await update('--company', '');
      assert.deepEqual([d.name, d.company_name, d.description], ['After', null, 'Sells things']);
      assert.match(await refused('--name', ''), /--name: /);
    });

    await t.test('icon: sets a PNG, refuses a non-image naming --icon, removes it', async () => {
      const png = path.join(dataDir, 'icon.png');
      const text = path.join(dataDir, 'icon.txt');
      fs.writeFileSync(png, PNG);
      fs.writeFileSync(text, 'not an image');
      assert.equal((await update('--icon', png)).icon.content_type, 'image/png');
      assert.match(await refused('--icon', text), /--icon: /);
      assert.match(await refused('--icon', path.join(dataDir, 'missing.png')), /--icon: cannot read/);
      assert.equal((await update('--remove-icon')).icon, null);
    });

    await t.test(
      'login: Kakao Login, OIDC, redirect and logout URIs, JavaScript origins, PKCE and strict OAuth',
      async () => {
        const d = await update(
          ...['--kakao-login', 'off', '--oidc', 'off', '--redirect-uri', 'https://b.example/cb'],
          ...['--redirect-uri', 'https://c.example/cb', '--logout-redirect-uri', 'https://b.example/bye'],
          ...['--js-origin', 'https://b.example', '--require-pkce', 'on', '--strict-oauth', 'on'],
        );
        assert.deepEqual(d.login, {
          kakao_login_enabled: false,
          oidc_enabled: false,
          redirect_uris: ['https://b.example/cb', 'https://c.example/cb'],
          logout_redirect_uris: ['https://b.example/bye'],
          javascript_origins: ['https://b.example'],
          require_pkce: true,
          strict_oauth: true,
        });
        const kept = await update('--kakao-login', 'on', '--logout-redirect-uri', '');
        assert.equal(kept.login.kakao_login_enabled, true);
        assert.deepEqual(kept.login.logout_redirect_uris, []);
        assert.deepEqual(kept.login.redirect_uris, d.login.redirect_uris, 'not given, so unchanged');
        assert.match(await refused('--redirect-uri', 'ftp://x.example/cb'), /--redirect-uri: /);
      },
    );

    await t.test('client secret: on and off', async () => {
      assert.equal((await update('--client-secret', 'on')).client_secret.enabled, true);
      assert.equal((await update('--client-secret', 'off')).client_secret.enabled, false);
    });

    await t.test('consent items: level and purposes; other items keep theirs', async () => {
      const d = await update(
        ...['--consent', 'account_email=optional', '--consent', 'gender=during-use'],
        ...['--purpose-ko', 'account_email=주문 안내', '--purpose-en', 'account_email=Order emails'],
      );
      const item = (name: string) => d.consent_items.find((c: { item: string }) => c.item === name);
      assert.deepEqual(item('account_email'), {
        item: 'account_email',
        mode: 'optional',
        purpose_ko: '주문 안내',
        purpose_en: 'Order emails',
      });
      assert.equal(item('gender').mode, 'during_use');
      assert.equal(item('profile_nickname').mode, 'required', 'not given, so unchanged');
      const purposeOnly = await update('--purpose-en', 'account_email=');
      const email = purposeOnly.consent_items.find((c: { item: string }) => c.item === 'account_email');
      assert.deepEqual([email.mode, email.purpose_ko, email.purpose_en], ['optional', '주문 안내', null]);
      assert.match(await refused('--consent', 'account_email'), /--consent: "account_email" must look like/);
      assert.match(await refused('--consent', 'shoe_size=optional'), /--consent/);
    });

    await t.test('platforms: web site URLs, Android and iOS, and removing them', async () => {
      let d = await update(
        ...['--site-url', 'https://b.example', '--android-package', 'com.example.b'],
        ...['--ios-bundle-id', 'com.example.ios', '--ios-store-url', 'https://apps.apple.com/app/id1'],
      );
      assert.deepEqual(d.platforms.site_urls, ['https://b.example']);
      assert.equal(d.platforms.android.package_name, 'com.example.b');
      assert.match(d.platforms.android.market_url, /com\.example\.b/);
      assert.deepEqual(d.platforms.ios, {
        bundle_id: 'com.example.ios',
        app_store_url: 'https://apps.apple.com/app/id1',
      });
      d = await update('--remove-android', '--site-url', '');
      assert.deepEqual([d.platforms.android, d.platforms.site_urls], [null, []]);
      assert.equal(d.platforms.ios.bundle_id, 'com.example.ios', 'not given, so unchanged');
      assert.match(await refused('--remove-ios', '--ios-bundle-id', 'x'), /--remove-ios excludes/);
    });

    await t.test(
      'unlink callback and events: URL, method, format, pause; events only in JSON format',
      async () => {
        let d = await update('--unlink-url', 'http://127.0.0.1:4000/unlink', '--unlink-method', 'GET');
        assert.deepEqual(
          [d.unlink.callback_url, d.unlink.method, d.unlink.format],
          ['http://127.0.0.1:4000/unlink', 'GET', 'kakao'],
        );
        assert.match(await refused('--events', 'user.linked'), /--events: /);
        assert.match(await refused('--events', 'user.exploded'), /--events: /);
        d = await update(
          '--unlink-format',
          'json',
          '--events',
          'user.linked,user.scope_withdrawn',
          '--unlink-state',
          'paused',
        );
        assert.deepEqual([d.unlink.format, d.unlink.state], ['json', 'paused']);
        d = await update('--unlink-url', '');
        assert.equal(d.unlink.callback_url, null);
        // A later section's error says which earlier ones were saved.
        const partial = await refused(
          '--description',
          'Saved first',
          '--unlink-method',
          'GET',
          '--unlink-url',
          'javascript:x',
        );
        assert.match(partial, /saved only: basics/);
        assert.match(partial, /--unlink-url: /);
        assert.match(await refused(), /nothing to change/);
      },
    );
  });
});
