/**
 * Validation: every rule gives a specific issue naming the field and the value, and
 * an invalid update saves nothing, not even its valid parts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../../src/modules/apps/apps.types.ts';
import { buildTestApp } from '../../helpers/build-test-app.ts';
import { createCast, issuesOf, PNG } from './fixtures.ts';

async function setup(t: Parameters<typeof buildTestApp>[0], env: Record<string, string> = {}) {
  const { app } = await buildTestApp(t, { env });
  const cast = await createCast(app);
  const { app_id } = await app.services.apps.createApp(cast.owner, {
    name: 'Valid',
    redirect_uris: ['https://valid.example.com/cb'],
    platforms: { site_urls: ['https://valid.example.com'] },
  });
  return { app, owner: cast.owner, appId: app_id };
}

/** Runs `change`, expects exactly `expected` issues, and checks the app did not change at all. */
async function refused(
  app: FastifyInstance,
  owner: Actor,
  appId: number,
  change: () => Promise<unknown>,
  expected: string[],
): Promise<void> {
  const before = await app.services.apps.getAppDetail(owner, appId);
  assert.deepEqual(await issuesOf(change()), expected);
  assert.deepEqual(await app.services.apps.getAppDetail(owner, appId), before);
}

const login = (redirect_uris: string[], logout_redirect_uris: string[] = []) => ({
  kakao_login_enabled: false,
  oidc_enabled: false,
  redirect_uris,
  logout_redirect_uris,
});

describe('apps validation', () => {
  it('refuses bad redirect URIs one by one, and saves none of the good ones or the toggles', async (t) => {
    const { app, owner, appId } = await setup(t);
    const s = app.services.apps;
    const cases: Array<[string[], string]> = [
      [['http://example.com/cb'], 'redirect_uris: apps.validation.https_required'],
      [['not a url'], 'redirect_uris: apps.validation.url_invalid'],
      [['ftp://example.com/cb'], 'redirect_uris: apps.validation.url_invalid'],
      [['https://example.com/cb#frag'], 'redirect_uris: apps.validation.url_fragment'],
      [['https://user:pw@example.com/cb'], 'redirect_uris: apps.validation.url_credentials'],
      [['https://a.example.com/cb', 'https://a.example.com/cb'], 'redirect_uris: apps.validation.duplicate'],
    ];
    for (const [uris, issue] of cases) {
      await refused(
        app,
        owner,
        appId,
        () => s.updateLoginSettings(owner, appId, login(['https://ok.example.com', ...uris])),
        [issue],
      );
    }
    const eleven = Array.from({ length: 11 }, (_, i) => `https://e.example.com/${i}`);
    await refused(app, owner, appId, () => s.updateLoginSettings(owner, appId, login(eleven)), [
      'redirect_uris: apps.validation.too_many',
    ]);
    await refused(
      app,
      owner,
      appId,
      () => s.updateLoginSettings(owner, appId, login([], ['http://example.com/bye'])),
      ['logout_redirect_uris: apps.validation.https_required'],
    );
  });

  it('accepts http only on localhost, 127.0.0.1 and [::1], and ten URIs', async (t) => {
    const { app, owner, appId } = await setup(t);
    const uris = [
      'http://localhost:3000/cb',
      'http://127.0.0.1:8080/cb',
      'http://[::1]:9000/cb',
      ...Array.from({ length: 7 }, (_, i) => `https://e.example.com/${i}`),
    ];
    await app.services.apps.updateLoginSettings(owner, appId, {
      ...login(uris),
      javascript_origins: ['https://e.example.com/'],
    });
    const d = await app.services.apps.getAppDetail(owner, appId);
    assert.deepEqual(d.login.redirect_uris, uris);
    assert.deepEqual(d.login.javascript_origins, ['https://e.example.com']);
    assert.equal(d.login.oidc_enabled, false);
    await refused(
      app,
      owner,
      appId,
      () =>
        app.services.apps.updateLoginSettings(owner, appId, {
          ...login([]),
          javascript_origins: ['https://e.example.com/app'],
        }),
      ['javascript_origins: apps.validation.origin_invalid'],
    );
  });

  it('refuses unknown consent items, bad modes and long purposes, and saves nothing', async (t) => {
    const { app, owner, appId } = await setup(t);
    const s = app.services.apps;
    await refused(
      app,
      owner,
      appId,
      () =>
        s.updateConsentItems(owner, appId, [
          { item: 'account_email', mode: 'required' },
          { item: 'shoe_size', mode: 'required' },
        ]),
      ['consent_items: apps.validation.consent_item_unknown'],
    );
    await refused(
      app,
      owner,
      appId,
      () => s.updateConsentItems(owner, appId, [{ item: 'gender', mode: 'always' }]),
      ['consent_items.gender: apps.validation.consent_mode_invalid'],
    );
    await refused(
      app,
      owner,
      appId,
      () =>
        s.updateConsentItems(owner, appId, [
          { item: 'gender', mode: 'off' },
          { item: 'gender', mode: 'optional' },
        ]),
      ['consent_items: apps.validation.duplicate'],
    );
    await refused(
      app,
      owner,
      appId,
      () =>
        s.updateConsentItems(owner, appId, [{ item: 'name', mode: 'optional', purpose_en: 'x'.repeat(201) }]),
      ['consent_items.name.purpose_en: validation.too_long'],
    );
  });

  it('refuses bad platform formats and saves nothing', async (t) => {
    const { app, owner, appId } = await setup(t);
    const s = app.services.apps;
    const cases: Array<[Parameters<typeof s.updatePlatforms>[2], string]> = [
      [{ site_urls: ['http://valid.example.com'] }, 'site_urls: apps.validation.https_required'],
      [
        { site_urls: [], android: { package_name: 'nodots' } },
        'android.package_name: apps.validation.package_invalid',
      ],
      [
        {
          site_urls: [],
          android: { package_name: 'com.example.app', market_url: 'http://store.example.com' },
        },
        'android.market_url: apps.validation.https_required',
      ],
      [
        { site_urls: [], ios: { bundle_id: 'com example' } },
        'ios.bundle_id: apps.validation.bundle_id_invalid',
      ],
      [
        { site_urls: [], ios: { bundle_id: 'com.example.app', app_store_url: 'nope' } },
        'ios.app_store_url: apps.validation.url_invalid',
      ],
      [
        { site_urls: [], ios: { bundle_id: '', app_store_url: 'https://apps.apple.com/app/id1' } },
        'ios.bundle_id: validation.required',
      ],
    ];
    for (const [input, issue] of cases)
      await refused(app, owner, appId, () => s.updatePlatforms(owner, appId, input), [issue]);

    await s.updatePlatforms(owner, appId, {
      site_urls: ['https://valid.example.com'],
      android: { package_name: 'com.example.app' },
      ios: { bundle_id: 'com.example.app', app_store_url: 'https://apps.apple.com/app/id123' },
    });
    const d = await s.getAppDetail(owner, appId);
    assert.deepEqual(d.platforms.android, {
      package_name: 'com.example.app',
      market_url: 'https://play.google.com/store/apps/details?id=com.example.app',
    });
    assert.equal(d.platforms.ios?.app_store_url, 'https://apps.apple.com/app/id123');
  });

  it('refuses bad basics, roles, methods and icons with specific issues', async (t) => {
    const { app, owner, appId } = await setup(t);
    const s = app.services.apps;
    const invitation = { locale: 'en' as const, siteUrl: app.config.issuer };
    await refused(
      app,
      owner,
      appId,
      () => s.updateBasics(owner, appId, { name: ' ', privacy_policy_url: 'javascript:alert(1)' }),
      ['name: validation.required', 'privacy_policy_url: apps.validation.url_invalid'],
    );
    await refused(app, owner, appId, () => s.updateBasics(owner, appId, { name: 'x'.repeat(51) }), [
      'name: validation.too_long',
    ]);
    await refused(
      app,
      owner,
      appId,
      () => s.updateUnlinkSettings(owner, appId, { callback_url: null, method: 'PUT', state: 'on' }),
      ['method: apps.validation.unlink_method_invalid', 'state: apps.validation.unlink_state_invalid'],
    );
    await refused(app, owner, appId, () => s.setIcon(owner, appId, { bytes: Buffer.from('GIF89a....') }), [
      'icon: apps.validation.icon_type',
    ]);
    const big = Buffer.concat([PNG, Buffer.alloc(1_048_577 - PNG.length)]);
    await refused(app, owner, appId, () => s.setIcon(owner, appId, { bytes: big }), [
      'icon: apps.validation.icon_too_large',
    ]);
    await refused(
      app,
      owner,
      appId,
      () => s.inviteMember(owner, appId, { email: 'not an email', role: 'member' }, invitation),
      ['email: validation.email_invalid'],
    );
    await refused(
      app,
      owner,
      appId,
      () => s.inviteMember(owner, appId, { email: 'nobody@example.com', role: 'boss' }, invitation),
      ['role: apps.validation.role_invalid'],
    );
  });

  it('stores a PNG or JPEG icon by its magic bytes and serves it back', async (t) => {
    const { app, owner, appId } = await setup(t);
    await app.services.apps.setIcon(owner, appId, { bytes: PNG });
    const icon = await app.services.apps.getIcon(appId);
    assert.equal(icon?.content_type, 'image/png');
    assert.deepEqual(icon?.bytes, PNG);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
    await app.services.apps.setIcon(owner, appId, { bytes: jpeg });
    assert.equal((await app.services.apps.getAppDetail(owner, appId)).icon?.content_type, 'image/jpeg');
    await app.services.apps.removeIcon(owner, appId);
    assert.equal(await app.services.apps.getIcon(appId), undefined);
  });

  it('refuses callback URLs that reach private, metadata or non-allowed loopback addresses', async (t) => {
    const { app, owner, appId } = await setup(t, { YEON_OUTBOUND_ALLOW: '192.0.2.0/24' });
    const s = app.services.apps;
    const unlink = (callback_url: string) =>
      s.updateUnlinkSettings(owner, appId, { callback_url, method: 'POST', state: 'active' });
    await refused(app, owner, appId, () => unlink('http://10.1.2.3/unlink'), [
      'callback_url: apps.destination.blocked_address',
    ]);
    await refused(app, owner, appId, () => unlink('http://169.254.169.254/latest'), [
      'callback_url: apps.destination.metadata',
    ]);
    await refused(app, owner, appId, () => unlink('http://127.0.0.1:8080/unlink'), [
      'callback_url: apps.destination.blocked_address',
    ]);
    await refused(app, owner, appId, () => unlink('https://example.com/unlink#x'), [
      'callback_url: apps.validation.url_fragment',
    ]);
    // An allowed address and a public one are accepted.
    await unlink('http://192.0.2.10/unlink');
    await s.updateUnlinkSettings(owner, appId, {
      callback_url: 'https://93.184.216.34/unlink',
      method: 'get',
      state: 'paused',
      format: 'json',
    });
    const d = await s.getAppDetail(owner, appId);
    assert.deepEqual(
      { ...d.unlink, webhook_secrets: undefined },
      {
        callback_url: 'https://93.184.216.34/unlink',
        method: 'GET',
        state: 'paused',
        format: 'json',
        webhook_secrets: undefined,
      },
    );
  });

  it('accepts a loopback callback by default outside production (local demos)', async (t) => {
    const { app, owner, appId } = await setup(t);
    await app.services.apps.updateUnlinkSettings(owner, appId, {
      callback_url: 'http://127.0.0.1:4000/unlink',
      method: 'POST',
      state: 'active',
    });
    assert.equal(
      (await app.services.apps.getAppDetail(owner, appId)).unlink.callback_url,
      'http://127.0.0.1:4000/unlink',
    );
  });

  it('creates nothing when any part of a new app is invalid', async (t) => {
    const { app, owner } = await setup(t);
    const s = app.services.apps;
    const before = await s.listAppsForAccount(owner);
    assert.deepEqual(
      await issuesOf(
        s.createApp(owner, {
          name: 'Broken',
          redirect_uris: ['https://ok.example.com/cb'],
          consent_items: [{ item: 'email', mode: 'required' }],
          unlink: { callback_url: 'http://10.0.0.1/', method: 'POST', state: 'active' },
        }),
      ),
      [
        'consent_items: apps.validation.consent_item_unknown',
        'callback_url: apps.destination.blocked_address',
      ],
    );
    assert.deepEqual(await s.listAppsForAccount(owner), before);
  });
});
