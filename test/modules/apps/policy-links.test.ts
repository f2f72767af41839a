/**
 * An app's privacy policy and terms links: set and shown through the console's basics form and the
 * management API (PUT basics) on both databases; anything but an absolute http(s) URL refused
 * (`javascript:` never reaches the consent page's href); plain http refused in production.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicyLinks } from '../../../src/modules/apps/apps.validation.ts';
import { buildTestApp } from '../../helpers/build-test-app.ts';
import { createAppViaPage, detailOf, inputValue, signedIn, submit } from '../../http/console-helpers.ts';
import { createCast, issuesOf } from './fixtures.ts';

describe('privacy policy and terms links', () => {
  it('are set and shown by the console basics form, and refused when not an http(s) URL', async (t) => {
    const { app } = await buildTestApp(t);
    const owner = await signedIn(app, 'owner@example.com');
    const appId = await createAppViaPage(owner);
    const page = `/developers/apps/${appId}`;
    const basics = {
      name: 'Demo app',
      company_name: 'Demo Inc.',
      description: '',
      privacy_policy_url: 'https://demo.example/privacy',
      terms_url: 'https://demo.example/terms',
    };
    let res = await submit(owner, page, `${page}/basics`, basics);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const saved = await detailOf(app, owner.accountId, appId);
    assert.equal(saved.privacy_policy_url, 'https://demo.example/privacy');
    assert.equal(saved.terms_url, 'https://demo.example/terms');
    const shown = await owner.get(page);
    assert.equal(inputValue(shown.body, 'terms_url'), 'https://demo.example/terms');
    assert.match(shown.body, /<label for="terms_url">Terms of service URL</);

    res = await submit(owner, page, `${page}/basics`, { ...basics, terms_url: 'javascript:alert(1)' });
    assert.equal(res.statusCode, 400);
    assert.equal(inputValue(res.body, 'terms_url'), 'javascript:alert(1)');
    assert.equal((await detailOf(app, owner.accountId, appId)).terms_url, 'https://demo.example/terms');
  });

  it('are set at creation and by PUT basics and shown by the management API; a PUT without them clears them', async (t) => {
    const { app } = await buildTestApp(t);
    const cast = await createCast(app);
    const { token } = await app.services.developerTokens.createToken(cast.owner.accountId);
    const call = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
      app.inject({
        method,
        url,
        headers: { accept: 'application/json', authorization: `Bearer ${token}` },
        ...(payload ? { payload } : {}),
      });
    const created = await call('POST', '/api/v1/apps', {
      name: 'API app',
      redirect_uris: ['https://api.example.com/cb'],
      terms_url: 'https://api.example.com/terms',
    });
    assert.equal(created.statusCode, 201, created.body);
    const base = `/api/v1/apps/${created.json().app_id}`;
    assert.equal((await call('GET', base)).json().terms_url, 'https://api.example.com/terms');

    let res = await call('PUT', `${base}/basics`, {
      name: 'API app',
      privacy_policy_url: 'https://api.example.com/privacy',
      terms_url: 'https://api.example.com/terms',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().privacy_policy_url, 'https://api.example.com/privacy');
    assert.equal(res.json().terms_url, 'https://api.example.com/terms');
    assert.equal((await call('GET', base)).json().terms_url, 'https://api.example.com/terms');

    res = await call('PUT', `${base}/basics`, { name: 'API app', terms_url: 'not a url' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(
      res.json().error.issues.map((i: { field: string }) => i.field),
      ['terms_url'],
    );
    res = await call('PUT', `${base}/basics`, { name: 'API app' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().terms_url, null);
    assert.equal(res.json().privacy_policy_url, null);
  });

  it('refuse javascript:, data: and non-URLs, and plain http only in production', async (t) => {
    const { app } = await buildTestApp(t);
    const cast = await createCast(app);
    const owner = { accountId: cast.owner.accountId };
    const { app_id } = await app.services.apps.createApp(owner, { name: 'Links', redirect_uris: [] });
    for (const bad of ['javascript:alert(1)', 'data:text/html,hi', 'privacy', '//evil.example/p']) {
      assert.deepEqual(
        await issuesOf(app.services.apps.updatePolicyLinks(owner, app_id, { privacy_policy_url: bad })),
        ['privacy_policy_url: apps.validation.url_invalid'],
        bad,
      );
      assert.deepEqual(
        await issuesOf(app.services.apps.updateBasics(owner, app_id, { name: 'Links', terms_url: bad })),
        ['terms_url: apps.validation.url_invalid'],
        bad,
      );
    }
    // outside production plain http is accepted, as for the other app URLs
    await app.services.apps.updatePolicyLinks(owner, app_id, { terms_url: 'http://localhost:3000/terms' });
    const detail = await app.services.apps.getAppDetail(owner, app_id);
    assert.equal(detail.terms_url, 'http://localhost:3000/terms');
    assert.equal(detail.privacy_policy_url, null, 'an omitted link keeps its value');

    const production = parsePolicyLinks({ terms_url: 'http://shop.example/terms' }, { production: true });
    assert.deepEqual(
      production.issues.map((i) => `${i.field}: ${i.message}`),
      ['terms_url: apps.validation.https_required_in_production'],
    );
    const https = parsePolicyLinks({ terms_url: 'https://shop.example/terms' }, { production: true });
    assert.deepEqual(https, { value: { terms_url: 'https://shop.example/terms' }, issues: [] });
  });
});
