/**
 * Credentials and lookups: admin key rotation keeps the old key valid until
 * revoked, client secret off means a public client, webhook secrets overlap after rotation, and a
 * consent item change touches nothing else.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeClock } from '../../../src/lib/clock.ts';
import { verifyClientSecret } from '../../../src/modules/apps/app-credentials.ts';
import { buildTestApp } from '../../helpers/build-test-app.ts';
import { createCast, rejectsWith } from './fixtures.ts';

const HOUR = 3_600_000;

describe('app credentials', () => {
  it('returns every credential at creation, and finds the app by its REST API key and admin key', async (t) => {
    const { app } = await buildTestApp(t);
    const { owner } = await createCast(app);
    const created = await app.services.apps.createApp(owner, {
      name: 'Keys',
      redirect_uris: ['https://keys.example.com/cb'],
      logout_redirect_uris: ['https://keys.example.com/bye'],
    });
    assert.ok(Number.isSafeInteger(created.app_id) && created.app_id >= 1_000_000_000);
    for (const k of ['rest_api_key', 'javascript_key', 'native_app_key', 'admin_key'] as const)
      assert.match(created[k], /^[0-9a-f]{32}$/);
    assert.equal(
      new Set([created.rest_api_key, created.javascript_key, created.native_app_key, created.admin_key]).size,
      4,
    );
    assert.match(created.webhook_secret, /^whsec_[A-Za-z0-9+/]{43}=$/);

    const client = await app.services.apps.findAppByRestApiKey(created.rest_api_key);
    assert.equal(client?.id, created.app_id);
    assert.deepEqual(client?.redirect_uris, ['https://keys.example.com/cb']);
    assert.deepEqual(client?.logout_redirect_uris, ['https://keys.example.com/bye']);
    assert.equal(client?.client_secret_enabled, 0);
    // A key of another kind is not a client_id.
    assert.equal(await app.services.apps.findAppByRestApiKey(created.admin_key), undefined);
    assert.equal((await app.services.apps.findAppByAdminKey(created.admin_key))?.id, created.app_id);
    assert.equal(await app.services.apps.findAppByAdminKey(created.rest_api_key), undefined);
  });

  it('keeps the old admin key working after rotation until it is revoked', async (t) => {
    const { app } = await buildTestApp(t);
    const { owner } = await createCast(app);
    const s = app.services.apps;
    const created = await s.createApp(owner, { name: 'Rotate' });
    const oldId = (await s.getAppDetail(owner, created.app_id)).keys.admin[0]!.id;
    const rotated = await s.rotateAdminKey(owner, created.app_id);
    assert.notEqual(rotated.key, created.admin_key);
    assert.equal((await s.findAppByAdminKey(created.admin_key))?.id, created.app_id);
    assert.equal((await s.findAppByAdminKey(rotated.key))?.id, created.app_id);
    assert.equal(await s.getPrimaryAdminKey(created.app_id), rotated.key);

    await s.revokeAdminKey(owner, created.app_id, oldId);
    assert.equal(await s.findAppByAdminKey(created.admin_key), undefined);
    assert.equal((await s.findAppByAdminKey(rotated.key))?.id, created.app_id);
    await rejectsWith(s.revokeAdminKey(owner, created.app_id, oldId), 'not_found');
    await rejectsWith(s.revokeAdminKey(owner, created.app_id, rotated.id), 'app_last_admin_key');

    await s.rotateAdminKey(owner, created.app_id);
    await s.rotateAdminKey(owner, created.app_id);
    await rejectsWith(s.rotateAdminKey(owner, created.app_id), 'app_admin_key_limit');
  });

  it('treats an app with the client secret off as public: any secret, even a dummy, is accepted', async (t) => {
    const { app } = await buildTestApp(t);
    const { owner } = await createCast(app);
    const s = app.services.apps;
    const created = await s.createApp(owner, { name: 'Secret' });
    let client = (await s.findAppByRestApiKey(created.rest_api_key))!;
    for (const given of [undefined, '', 'kakao', 'dummy', created.client_secret])
      assert.equal(verifyClientSecret(client, given), true, `secret off, given ${given}`);

    await s.setClientSecretEnabled(owner, created.app_id, true);
    client = (await s.findAppByRestApiKey(created.rest_api_key))!;
    assert.equal(verifyClientSecret(client, created.client_secret), true);
    for (const given of [undefined, '', 'kakao', `${created.client_secret}x`])
      assert.equal(verifyClientSecret(client, given), false, `secret on, given ${given}`);

    const fresh = await s.regenerateClientSecret(owner, created.app_id);
    client = (await s.findAppByRestApiKey(created.rest_api_key))!;
    assert.equal(verifyClientSecret(client, created.client_secret), false);
    assert.equal(verifyClientSecret(client, fresh), true);
  });

  it('signs with both webhook secrets during the overlap window, then only the new one', async (t) => {
    const clock = fakeClock();
    const { app } = await buildTestApp(t, { clock, env: { YEON_WEBHOOK_SECRET_OVERLAP_HOURS: '2' } });
    const { owner } = await createCast(app);
    const s = app.services.apps;
    const created = await s.createApp(owner, { name: 'Hooks' });
    assert.deepEqual(await s.getSigningSecrets(created.app_id), [created.webhook_secret]);

    clock.advance(HOUR);
    const first = await s.rotateWebhookSecret(owner, created.app_id);
    assert.equal(first.previous_expires_at, clock.now() + 2 * HOUR);
    assert.deepEqual(await s.getSigningSecrets(created.app_id), [first.secret, created.webhook_secret]);
    clock.advance(2 * HOUR - 1);
    assert.deepEqual(await s.getSigningSecrets(created.app_id), [first.secret, created.webhook_secret]);
    clock.advance(1);
    assert.deepEqual(await s.getSigningSecrets(created.app_id), [first.secret]);

    // Rotating twice inside a window keeps all three until each window ends.
    const second = await s.rotateWebhookSecret(owner, created.app_id);
    clock.advance(HOUR);
    const third = await s.rotateWebhookSecret(owner, created.app_id);
    assert.deepEqual(await s.getSigningSecrets(created.app_id), [third.secret, second.secret, first.secret]);
    clock.advance(HOUR);
    assert.deepEqual(await s.getSigningSecrets(created.app_id), [third.secret, second.secret]);
    const shown = (await s.getAppDetail(owner, created.app_id)).unlink.webhook_secrets;
    assert.deepEqual(
      shown.map((w) => [w.secret, w.expires_at]),
      [
        [third.secret, null],
        [second.secret, clock.now() + HOUR],
      ],
    );
  });

  it('changes consent items and nothing else; unlisted items keep their setting', async (t) => {
    const clock = fakeClock();
    const { app } = await buildTestApp(t, { clock });
    const { owner } = await createCast(app);
    const s = app.services.apps;
    const { app_id } = await s.createApp(owner, {
      name: 'Consent',
      redirect_uris: ['https://c.example.com/cb'],
      consent_items: [{ item: 'profile_image', mode: 'optional', purpose_ko: '프로필 표시' }],
      platforms: { site_urls: ['https://c.example.com'] },
    });
    const before = await s.getAppDetail(owner, app_id);
    assert.deepEqual(
      before.consent_items.map((c) => [c.item, c.mode]),
      [
        ['profile_nickname', 'required'],
        ['profile_image', 'optional'],
        ['account_email', 'off'],
        ['name', 'off'],
        ['gender', 'off'],
        ['age_range', 'off'],
        ['birthday', 'off'],
        ['birthyear', 'off'],
        ['phone_number', 'off'],
      ],
    );
    clock.advance(1000);
    await s.updateConsentItems(owner, app_id, [
      { item: 'account_email', mode: 'during-use', purpose_ko: '알림 발송', purpose_en: 'Notifications' },
    ]);
    const after = await s.getAppDetail(owner, app_id);
    const email = after.consent_items.find((c) => c.item === 'account_email');
    assert.deepEqual(email, {
      item: 'account_email',
      mode: 'during_use',
      purpose_ko: '알림 발송',
      purpose_en: 'Notifications',
    });
    const strip = (d: typeof before) => ({ ...d, consent_items: [], updated_at: 0 });
    assert.deepEqual(strip(after), strip(before));
    assert.deepEqual(
      after.consent_items.filter((c) => c.item !== 'account_email'),
      before.consent_items.filter((c) => c.item !== 'account_email'),
    );
    assert.deepEqual(await s.getConsentItems(app_id), after.consent_items);
  });

  it('deletes an app with everything on it', async (t) => {
    const { app } = await buildTestApp(t);
    const { owner } = await createCast(app);
    const s = app.services.apps;
    const created = await s.createApp(owner, { name: 'Doomed', redirect_uris: ['https://d.example.com/cb'] });
    await s.deleteApp(owner, created.app_id);
    assert.equal(await s.findAppByRestApiKey(created.rest_api_key), undefined);
    assert.equal(await s.findAppByAdminKey(created.admin_key), undefined);
    assert.deepEqual(await s.listAppsForAccount(owner), []);
    await rejectsWith(s.getAppDetail(owner, created.app_id), 'not_found');
  });
});

describe('developer tokens', () => {
  it('authenticates a live token as its account, and not once revoked', async (t) => {
    const { app } = await buildTestApp(t);
    const { owner, admin } = await createCast(app);
    const tokens = app.services.developerTokens;
    const created = await tokens.createToken(owner.accountId, 'ci');
    assert.match(created.token, /^yeon_dt_[\w-]{43}$/);
    assert.deepEqual(await tokens.authenticate(created.token), {
      accountId: owner.accountId,
      tokenId: created.id,
    });
    assert.equal(await tokens.authenticate(`${created.token}x`), undefined);
    assert.equal(await tokens.authenticate('Bearer nonsense'), undefined);
    assert.deepEqual(
      (await tokens.listTokens(owner.accountId)).map((x) => x.name),
      ['ci'],
    );
    assert.equal(await tokens.revokeToken(admin.accountId, created.id), false);
    assert.equal(await tokens.revokeToken(owner.accountId, created.id), true);
    assert.equal(await tokens.authenticate(created.token), undefined);
    assert.deepEqual(await tokens.listTokens(owner.accountId), []);
  });
});
