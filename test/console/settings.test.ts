/**
 * The console lets an owner set the wire features the API and CLI can set, and shows them as
 * saved: Require PKCE and Strict OAuth (login page checkboxes), the JavaScript key's allowed Web
 * domains (login page), and the privacy policy and terms URLs (overview basics). What the console
 * saves is what the management API reads, and what the API saves is what the console shows: one
 * service, one stored value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { AppDetail } from '../../src/modules/apps/apps.types.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { createAppViaPage, inputValue, signedIn, submit, textareaValue } from '../http/console-helpers.ts';

const ORIGINS = ['https://shop.example.com', 'http://localhost:3000'];
const PRIVACY = 'https://shop.example.com/privacy';
const TERMS = 'https://shop.example.com/terms';

function ticked(html: string, name: string): boolean {
  const tag = new RegExp(`<input[^>]*type="checkbox"[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  assert.ok(tag, `no checkbox ${name} on the page`);
  return /\schecked(\s|>|=|$)/.test(tag);
}

async function apiDetail(app: FastifyInstance, token: string, appId: number): Promise<AppDetail> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/apps/${appId}`,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as AppDetail;
}

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const { app } = await buildTestApp(t);
  const mina = await signedIn(app, 'mina@example.com');
  const id = await createAppViaPage(mina, 'Mina Shop', 'Mina Inc.');
  const { token } = await app.services.developerTokens.createToken(mina.accountId, 'settings test');
  return { app, mina, id, token };
}

describe('console app settings: the wire features', () => {
  it('saves Require PKCE, Strict OAuth, the JavaScript key domains and the policy URLs, and shows them', async (t) => {
    const { app, mina, id, token } = await setup(t);
    const login = `/developers/apps/${id}/login`;
    const overview = `/developers/apps/${id}`;

    const saved = await submit(mina, login, login, {
      kakao_login_enabled: 'on',
      oidc_enabled: 'off',
      redirect_uris: 'https://shop.example.com/callback',
      logout_redirect_uris: '',
      javascript_origins: ORIGINS.join('\r\n'),
      require_pkce: 'on',
      strict_oauth: 'on',
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const basics = await submit(mina, overview, `${overview}/basics`, {
      name: 'Mina Shop',
      company_name: 'Mina Inc.',
      description: '',
      privacy_policy_url: PRIVACY,
      terms_url: TERMS,
    });
    assert.equal(basics.statusCode, 303, basics.body);

    const loginPage = (await mina.get(login)).body;
    assert.equal(ticked(loginPage, 'require_pkce'), true);
    assert.equal(ticked(loginPage, 'strict_oauth'), true);
    assert.equal(textareaValue(loginPage, 'javascript_origins'), ORIGINS.join('\n'));
    const overviewPage = (await mina.get(overview)).body;
    assert.equal(inputValue(overviewPage, 'privacy_policy_url'), PRIVACY);
    assert.equal(inputValue(overviewPage, 'terms_url'), TERMS);

    // The management API reads the same stored values.
    const detail = await apiDetail(app, token, id);
    assert.equal(detail.login.require_pkce, true);
    assert.equal(detail.login.strict_oauth, true);
    assert.deepEqual(detail.login.javascript_origins, ORIGINS);
    assert.equal(detail.privacy_policy_url, PRIVACY);
    assert.equal(detail.terms_url, TERMS);
  });

  it('shows what the management API saved', async (t) => {
    const { app, mina, id, token } = await setup(t);
    const put = (section: string, payload: object) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/apps/${id}/${section}`,
        headers: { authorization: `Bearer ${token}` },
        payload,
      });
    const login = await put('login', {
      kakao_login_enabled: true,
      oidc_enabled: true,
      redirect_uris: ['https://shop.example.com/callback'],
      logout_redirect_uris: [],
      javascript_origins: ORIGINS,
      require_pkce: true,
      strict_oauth: false,
    });
    assert.equal(login.statusCode, 200, login.body);
    const basics = await put('basics', { name: 'Mina Shop', privacy_policy_url: PRIVACY, terms_url: TERMS });
    assert.equal(basics.statusCode, 200, basics.body);

    const loginPage = (await mina.get(`/developers/apps/${id}/login`)).body;
    assert.equal(ticked(loginPage, 'require_pkce'), true);
    assert.equal(ticked(loginPage, 'strict_oauth'), false);
    assert.equal(textareaValue(loginPage, 'javascript_origins'), ORIGINS.join('\n'));
    const overviewPage = (await mina.get(`/developers/apps/${id}`)).body;
    assert.equal(inputValue(overviewPage, 'privacy_policy_url'), PRIVACY);
    assert.equal(inputValue(overviewPage, 'terms_url'), TERMS);
  });

  it('refuses a JavaScript key domain with a path and a terms URL that is not a URL, saving nothing', async (t) => {
    const { app, mina, id, token } = await setup(t);
    const login = `/developers/apps/${id}/login`;
    const overview = `/developers/apps/${id}`;
    const badOrigin = await submit(mina, login, login, {
      kakao_login_enabled: 'on',
      oidc_enabled: 'on',
      redirect_uris: '',
      logout_redirect_uris: '',
      javascript_origins: 'https://shop.example.com/app',
      require_pkce: 'on',
    });
    assert.equal(badOrigin.statusCode, 400);
    assert.match(badOrigin.body, /href="#javascript_origins"/);
    assert.equal(textareaValue(badOrigin.body, 'javascript_origins'), 'https://shop.example.com/app');
    assert.equal(ticked(badOrigin.body, 'require_pkce'), true, 'the typed box stays ticked');

    const badTerms = await submit(mina, overview, `${overview}/basics`, {
      name: 'Mina Shop',
      company_name: '',
      description: '',
      privacy_policy_url: '',
      terms_url: 'terms page',
    });
    assert.equal(badTerms.statusCode, 400);
    assert.match(badTerms.body, /href="#terms_url"/);
    assert.equal(inputValue(badTerms.body, 'terms_url'), 'terms page');

    const detail = await apiDetail(app, token, id);
    assert.deepEqual(detail.login.javascript_origins, []);
    assert.equal(detail.login.require_pkce, false);
    assert.equal(detail.terms_url, null);
  });
});
