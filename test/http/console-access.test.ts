/**
 * Who may do what in the console pages: a non-member gets the 404 page on every page
 * and every POST (an app's existence is not disclosed); a plain member can read every page but
 * every change answers the 403 page; a POST without the CSRF token is refused with 403. In each
 * refused case nothing changes (the app, as its owner sees it, is the same before and after).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { joinByInvitation } from '../helpers/team.ts';
import { createAppViaPage, detailOf, signedIn } from './console-helpers.ts';

const PAGES = ['', '/login', '/consent', '/platforms', '/unlink', '/members'];

/** Every state-changing console route of one app, with a plausible form. */
function changes(appId: number, keyId: string, otherId: string): Array<[string, Record<string, string>]> {
  const base = `/developers/apps/${appId}`;
  return [
    [`${base}/basics`, { name: 'Taken over', company_name: '', description: '', privacy_policy_url: '' }],
    [`${base}/icon/remove`, {}],
    [`${base}/delete`, { confirm_name: 'Demo app' }],
    [`${base}/admin-keys/rotate`, {}],
    [`${base}/admin-keys/revoke`, { key_id: keyId }],
    [`${base}/client-secret`, { enabled: '1' }],
    [`${base}/client-secret/regenerate`, {}],
    [
      `${base}/login`,
      {
        kakao_login_enabled: 'off',
        oidc_enabled: 'off',
        redirect_uris: '',
        logout_redirect_uris: '',
        javascript_origins: '',
      },
    ],
    [`${base}/consent`, { 'consent_items.account_email': 'required' }],
    [`${base}/platforms`, { site_urls: 'https://evil.example.com' }],
    [`${base}/unlink`, { callback_url: '', method: 'GET', state: 'paused', format: 'json' }],
    [`${base}/unlink/rotate-secret`, {}],
    [`${base}/members`, { email: 'intruder@example.com', role: 'owner' }],
    [`${base}/members/${otherId}/role`, { role: 'member' }],
    [`${base}/members/${otherId}/remove`, {}],
  ];
}

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const { app } = await buildTestApp(t);
  const owner = await signedIn(app, 'owner@example.com');
  const appId = await createAppViaPage(owner);
  const before = await detailOf(app, owner.accountId, appId);
  return { app, owner, appId, before, keyId: before.keys.admin[0]!.id };
}

/** The POST as a browser would send it after loading the page (with a valid token). */
async function postFromPage(agent: Agent, url: string, form: Record<string, string>) {
  await agent.get('/developers');
  return agent.post(url, form);
}

async function unchanged(app: FastifyInstance, ownerId: string, appId: number, before: unknown) {
  assert.deepEqual(await detailOf(app, ownerId, appId), before);
}

describe('developer console: access', () => {
  it('shows a non-member the 404 page on every page and every POST, and changes nothing', async (t) => {
    const { app, owner, appId, before, keyId } = await setup(t);
    const stranger = await signedIn(app, 'stranger@example.com');
    for (const p of [...PAGES, '/icon']) {
      const res = await stranger.get(`/developers/apps/${appId}${p}`);
      assert.equal(res.statusCode, 404, `GET ${p}`);
      assert.match(res.body, /We could not find that page/, `GET ${p}`);
      assert.doesNotMatch(res.body, /Demo app/);
    }
    for (const [url, form] of [
      ...changes(appId, keyId, owner.accountId),
      [`/developers/apps/${appId}/unlink/test`, {}],
    ] as const) {
      const res = await postFromPage(stranger, url, form);
      assert.equal(res.statusCode, 404, `POST ${url}`);
      assert.match(res.body, /We could not find that page/);
    }
    // Unknown and malformed ids look the same as someone else's app.
    for (const id of ['1', '99999999999', 'abc', '1e3', '-5', '9007199254740993']) {
      assert.equal((await stranger.get(`/developers/apps/${id}`)).statusCode, 404, id);
    }
    await unchanged(app, owner.accountId, appId, before);
  });

  it('lets a member read every page but answers every change with the 403 page', async (t) => {
    const { app, owner, appId, before, keyId } = await setup(t);
    const member = await signedIn(app, 'member@example.com');
    await joinByInvitation(app, { accountId: owner.accountId }, appId, {
      email: 'member@example.com',
      role: 'member',
    });
    const withMember = await detailOf(app, owner.accountId, appId);
    for (const p of PAGES) {
      const res = await member.get(`/developers/apps/${appId}${p}`);
      assert.equal(res.statusCode, 200, `GET ${p}`);
      assert.match(res.body, /you can see its settings but not change them/);
    }
    // Secrets stay hidden from plain members (the service hides them; the page shows none).
    const overview = await member.get(`/developers/apps/${appId}`);
    assert.ok(!overview.body.includes(before.keys.admin[0]!.key!));
    assert.ok(!overview.body.includes(before.client_secret.value!));
    assert.doesNotMatch(overview.body, /admin-keys\/rotate/);
    const unlink = await member.get(`/developers/apps/${appId}/unlink`);
    assert.doesNotMatch(unlink.body, /whsec_/);

    for (const [url, form] of changes(appId, keyId, owner.accountId)) {
      const res = await postFromPage(member, url, form);
      assert.equal(res.statusCode, 403, `POST ${url}`);
      assert.match(res.body, /You do not have permission to do that/);
    }
    assert.deepEqual(await detailOf(app, owner.accountId, appId), withMember);
  });

  it('refuses every console POST without the CSRF token with 403, and changes nothing', async (t) => {
    const { app, owner, appId, before, keyId } = await setup(t);
    const posts = [
      ['/developers/apps', { name: 'Forged' }],
      ...changes(appId, keyId, owner.accountId),
      [`/developers/apps/${appId}/unlink/test`, {}],
    ] as const;
    for (const [url, form] of posts) {
      const res = await owner.post(url, { ...form, _csrf: '' });
      assert.equal(res.statusCode, 403, `POST ${url}`);
      assert.match(res.body, /This form has expired or was not sent from this site/);
    }
    await unchanged(app, owner.accountId, appId, before);
    assert.equal((await app.services.apps.listAppsForAccount({ accountId: owner.accountId })).length, 1);
  });

  it('refuses a signed-out POST with 401 and changes nothing', async (t) => {
    const { app, owner, appId, before } = await setup(t);
    const res = await app.inject({
      method: 'POST',
      url: `/developers/apps/${appId}/basics`,
      payload: 'name=Anon',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 401);
    await unchanged(app, owner.accountId, appId, before);
  });
});
