/**
 * The per-app OAuth strictness switches through the management API, on both databases: Require
 * PKCE (RFC 7636) and Strict OAuth (RFC 9207; OpenID Connect Core §3.1.2.1) start off, as Kakao
 * Login answers, are set and cleared by PUT /login, are left alone when omitted, and are described
 * in the OpenAPI document.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-test-app.ts';

const LOGIN = {
  kakao_login_enabled: true,
  oidc_enabled: true,
  redirect_uris: ['https://strict.example.com/cb'],
  logout_redirect_uris: [],
};

describe('management API: Require PKCE and Strict OAuth', () => {
  it('starts off, saves on and off, and keeps the saved value when a PUT leaves them out', async (t) => {
    const { app } = await buildTestApp(t);
    const account = await app.services.accounts.signUp({
      email: 'strict@example.com',
      password: 'correct horse battery',
      nickname: 'strict',
    });
    const { token } = await app.services.developerTokens.createToken(account.id);
    const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      app.inject({
        method,
        url,
        headers: { accept: 'application/json', authorization: `Bearer ${token}` },
        ...(payload ? { payload } : {}),
      });
    const created = await call('POST', '/api/v1/apps', {
      name: 'Strict',
      redirect_uris: LOGIN.redirect_uris,
    });
    assert.equal(created.statusCode, 201, created.body);
    const base = `/api/v1/apps/${created.json().app_id}`;
    const switches = (body: { login: { require_pkce: boolean; strict_oauth: boolean } }) => ({
      require_pkce: body.login.require_pkce,
      strict_oauth: body.login.strict_oauth,
    });
    const stored = async () =>
      app.db
        .selectFrom('apps')
        .select(['require_pkce', 'strict_oauth'])
        .where('id', '=', created.json().app_id)
        .executeTakeFirstOrThrow();

    assert.deepEqual(switches((await call('GET', base)).json()), {
      require_pkce: false,
      strict_oauth: false,
    });

    let res = await call('PUT', `${base}/login`, { ...LOGIN, require_pkce: true, strict_oauth: true });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(switches(res.json()), { require_pkce: true, strict_oauth: true });
    assert.deepEqual(switches((await call('GET', base)).json()), { require_pkce: true, strict_oauth: true });
    assert.deepEqual(await stored(), { require_pkce: 1, strict_oauth: 1 });

    // Omitted = unchanged: a client written before the switches existed does not turn them off.
    res = await call('PUT', `${base}/login`, LOGIN);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(switches(res.json()), { require_pkce: true, strict_oauth: true });

    res = await call('PUT', `${base}/login`, { ...LOGIN, require_pkce: false });
    assert.deepEqual(switches(res.json()), { require_pkce: false, strict_oauth: true });
    res = await call('PUT', `${base}/login`, { ...LOGIN, strict_oauth: false });
    assert.deepEqual(switches(res.json()), { require_pkce: false, strict_oauth: false });
    assert.deepEqual(await stored(), { require_pkce: 0, strict_oauth: 0 });

    res = await call('PUT', `${base}/login`, { ...LOGIN, require_pkce: 'sometimes' });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(await stored(), { require_pkce: 0, strict_oauth: 0 });
  });

  it('describes both switches in the OpenAPI document, in the PUT body and in the app', async (t) => {
    const { app } = await buildTestApp(t);
    const doc = (await app.inject({ url: '/docs/json' })).json();
    const body = doc.paths['/api/v1/apps/{app_id}/login'].put.requestBody.content['application/json'].schema;
    assert.equal(body.properties.require_pkce.type, 'boolean');
    assert.match(body.properties.require_pkce.description, /RFC 7636/);
    assert.equal(body.properties.strict_oauth.type, 'boolean');
    assert.match(body.properties.strict_oauth.description, /RFC 9207/);
    assert.ok(!body.required.includes('require_pkce') && !body.required.includes('strict_oauth'));
    const detail = doc.paths['/api/v1/apps/{app_id}'].get.responses['200'].content['application/json'].schema;
    const login = detail.properties.login;
    assert.ok(login.required.includes('require_pkce') && login.required.includes('strict_oauth'));
  });
});
