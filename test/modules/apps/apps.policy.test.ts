/**
 * The policy matrix, through the real service on a real database: every action, for
 * owner, admin, member and non-member. Each cell gets a fresh app so cells do not interfere.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../../src/modules/apps/apps.types.ts';
import { buildTestApp } from '../../helpers/build-test-app.ts';
import { type Cast, createCast, createTeamApp, PNG, rejectsWith } from './fixtures.ts';

type Role = 'owner' | 'admin' | 'member' | 'outsider';
type Outcome = 'ok' | 'forbidden' | 'not_found';
type Action = (app: FastifyInstance, actor: Actor, appId: number, cast: Cast) => Promise<unknown>;

const svc = (app: FastifyInstance) => app.services.apps;
const invite = (app: FastifyInstance, a: Actor, id: number, email: string, role: string) =>
  svc(app).inviteMember(a, id, { email, role }, { locale: 'en', siteUrl: app.config.issuer });
const adminKeyId = async (app: FastifyInstance, cast: Cast, appId: number) =>
  (await svc(app).rotateAdminKey(cast.owner, appId)).id;

const ACTIONS: Record<string, Action> = {
  getAppDetail: (app, a, id) => svc(app).getAppDetail(a, id),
  updateBasics: (app, a, id) => svc(app).updateBasics(a, id, { name: 'Renamed' }),
  setIcon: (app, a, id) => svc(app).setIcon(a, id, { bytes: PNG }),
  removeIcon: (app, a, id) => svc(app).removeIcon(a, id),
  updateLoginSettings: (app, a, id) =>
    svc(app).updateLoginSettings(a, id, {
      kakao_login_enabled: true,
      oidc_enabled: false,
      redirect_uris: ['https://x.example.com/cb'],
      logout_redirect_uris: [],
    }),
  updateOAuthStrictness: (app, a, id) => svc(app).updateOAuthStrictness(a, id, { require_pkce: true }),
  updateConsentItems: (app, a, id) =>
    svc(app).updateConsentItems(a, id, [{ item: 'account_email', mode: 'optional' }]),
  updatePlatforms: (app, a, id) => svc(app).updatePlatforms(a, id, { site_urls: ['https://x.example.com'] }),
  updateUnlinkSettings: (app, a, id) =>
    svc(app).updateUnlinkSettings(a, id, { callback_url: null, method: 'GET', state: 'active' }),
  rotateAdminKey: (app, a, id) => svc(app).rotateAdminKey(a, id),
  revokeAdminKey: async (app, a, id, cast) => svc(app).revokeAdminKey(a, id, await adminKeyId(app, cast, id)),
  setClientSecretEnabled: (app, a, id) => svc(app).setClientSecretEnabled(a, id, true),
  regenerateClientSecret: (app, a, id) => svc(app).regenerateClientSecret(a, id),
  rotateWebhookSecret: (app, a, id) => svc(app).rotateWebhookSecret(a, id),
  sendTestNotification: (app, a, id) => svc(app).sendTestNotification(a, id),
  inviteMember: (app, a, id, cast) => invite(app, a, id, cast.emails.outsider, 'member'),
  inviteOwner: (app, a, id, cast) => invite(app, a, id, cast.emails.outsider, 'owner'),
  changeMemberRole: (app, a, id, cast) => svc(app).changeMemberRole(a, id, cast.member.accountId, 'admin'),
  makeOwner: (app, a, id, cast) => svc(app).changeMemberRole(a, id, cast.member.accountId, 'owner'),
  removeOtherMember: (app, a, id, cast) =>
    svc(app).removeMember(
      a,
      id,
      (a.accountId === cast.member.accountId ? cast.admin : cast.member).accountId,
    ),
  leave: (app, a, id) => svc(app).removeMember(a, id, a.accountId),
  deleteApp: (app, a, id) => svc(app).deleteApp(a, id),
};

// owner, admin, member, outsider
const o = 'ok' as const;
const f = 'forbidden' as const;
const n = 'not_found' as const;
const EXPECTED: Record<keyof typeof ACTIONS, [Outcome, Outcome, Outcome, Outcome]> = {
  getAppDetail: [o, o, o, n],
  updateBasics: [o, o, f, n],
  setIcon: [o, o, f, n],
  removeIcon: [o, o, f, n],
  updateLoginSettings: [o, o, f, n],
  updateOAuthStrictness: [o, o, f, n],
  updateConsentItems: [o, o, f, n],
  updatePlatforms: [o, o, f, n],
  updateUnlinkSettings: [o, o, f, n],
  rotateAdminKey: [o, o, f, n],
  revokeAdminKey: [o, o, f, n],
  setClientSecretEnabled: [o, o, f, n],
  regenerateClientSecret: [o, o, f, n],
  rotateWebhookSecret: [o, o, f, n],
  sendTestNotification: [o, o, f, n],
  inviteMember: [o, o, f, n],
  inviteOwner: [o, f, f, n],
  changeMemberRole: [o, o, f, n],
  makeOwner: [o, f, f, n],
  removeOtherMember: [o, o, f, n],
  // The owner is the only owner here, so leaving is refused with app_last_owner (tested below).
  leave: [f, o, o, n],
  deleteApp: [o, f, f, n],
};

const ROLES: Role[] = ['owner', 'admin', 'member', 'outsider'];

describe('apps policy matrix', () => {
  it('allows, forbids or hides every action exactly as the matrix says', async (t) => {
    const { app } = await buildTestApp(t);
    const cast = await createCast(app);
    const failures: string[] = [];
    for (const [name, action] of Object.entries(ACTIONS)) {
      for (const [i, role] of ROLES.entries()) {
        const appId = await createTeamApp(app, cast, `${name} ${role}`);
        const expected = EXPECTED[name]![i]!;
        let got: Outcome | string = 'ok';
        try {
          await action(app, cast[role], appId, cast);
        } catch (err) {
          got = (err as { code?: string }).code ?? String(err);
        }
        if (name === 'leave' && role === 'owner' && got === 'app_last_owner') got = 'forbidden';
        if (got !== expected) failures.push(`${name} as ${role}: expected ${expected}, got ${got}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('hides secrets from plain members but shows them to owners and admins', async (t) => {
    const { app } = await buildTestApp(t);
    const cast = await createCast(app);
    const appId = await createTeamApp(app, cast);
    for (const role of ['owner', 'admin'] as const) {
      const d = await svc(app).getAppDetail(cast[role], appId);
      assert.match(d.keys.admin[0]!.key!, /^[0-9a-f]{32}$/);
      assert.ok(d.client_secret.value);
      assert.match(d.unlink.webhook_secrets[0]!.secret!, /^whsec_/);
      assert.equal(d.role, role);
    }
    const d = await svc(app).getAppDetail(cast.member, appId);
    assert.equal(d.keys.admin[0]!.key, null);
    assert.equal(d.client_secret.value, null);
    assert.equal(d.unlink.webhook_secrets[0]!.secret, null);
    assert.equal(d.permissions.update, false);
    assert.equal(d.permissions.send_test_notification, false);
    assert.match(d.keys.rest_api, /^[0-9a-f]{32}$/);
  });

  it('gives a non-member the same not_found for an existing app and for a made-up id', async (t) => {
    const { app } = await buildTestApp(t);
    const cast = await createCast(app);
    const appId = await createTeamApp(app, cast);
    await rejectsWith(svc(app).getAppDetail(cast.outsider, appId), 'not_found');
    await rejectsWith(svc(app).getAppDetail(cast.outsider, 123456789012), 'not_found');
    await rejectsWith(svc(app).getAppDetail(cast.owner, Number.NaN), 'not_found');
  });

  it('keeps at least one owner, and lets a second owner step down', async (t) => {
    const { app } = await buildTestApp(t);
    const cast = await createCast(app);
    const appId = await createTeamApp(app, cast);
    await rejectsWith(svc(app).removeMember(cast.owner, appId, cast.owner.accountId), 'app_last_owner');
    await rejectsWith(
      svc(app).changeMemberRole(cast.owner, appId, cast.owner.accountId, 'admin'),
      'app_last_owner',
    );
    await svc(app).changeMemberRole(cast.owner, appId, cast.admin.accountId, 'owner');
    await svc(app).changeMemberRole(cast.owner, appId, cast.owner.accountId, 'member');
    const d = await svc(app).getAppDetail(cast.admin, appId);
    assert.deepEqual(
      d.members.map((m) => [m.email, m.role]),
      [
        [cast.emails.owner, 'member'],
        [cast.emails.admin, 'owner'],
        [cast.emails.member, 'member'],
      ],
    );
    // An admin cannot remove an owner.
    await svc(app).changeMemberRole(cast.admin, appId, cast.member.accountId, 'admin');
    await rejectsWith(svc(app).removeMember(cast.member, appId, cast.admin.accountId), 'forbidden');
  });

  it('lists only the apps a person belongs to, with their role', async (t) => {
    const { app } = await buildTestApp(t);
    const cast = await createCast(app);
    const appId = await createTeamApp(app, cast, 'Shared');
    await svc(app).createApp(cast.outsider, { name: 'Private' });
    const mine = await svc(app).listAppsForAccount(cast.member);
    assert.deepEqual(
      mine.map((a) => [a.id, a.name, a.role]),
      [[appId, 'Shared', 'member']],
    );
    assert.equal((await svc(app).listAppsForAccount(cast.outsider)).length, 1);
  });
});
