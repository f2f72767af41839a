/**
 * The Require PKCE and Strict OAuth checkboxes of the console's login page: a checked box saves on,
 * and a box left unchecked (which a browser does not send at all) saves off; a refused form shows
 * the boxes as they were ticked and saves nothing. Both catalogues explain each box.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { createAppViaPage, detailOf, signedIn, submit } from './console-helpers.ts';

const FORM = {
  kakao_login_enabled: 'on',
  oidc_enabled: 'on',
  redirect_uris: 'https://shop.example.com/callback',
  logout_redirect_uris: '',
  javascript_origins: '',
};

/** Whether the checkbox named `name` is on the page, and whether it is ticked. */
function checkbox(html: string, name: string): 'checked' | 'unchecked' | 'missing' {
  const tag = new RegExp(`<input[^>]*type="checkbox"[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  if (!tag) return 'missing';
  return /\schecked(\s|>|=|$)/.test(tag) ? 'checked' : 'unchecked';
}

describe('developer console: OAuth strictness checkboxes', () => {
  it('saves a ticked box as on and an unsent box as off, and shows what was saved', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const page = `/developers/apps/${id}/login`;
    const login = async () => {
      const { require_pkce, strict_oauth } = (await detailOf(app, mina.accountId, id)).login;
      return { require_pkce, strict_oauth };
    };

    let shown = await mina.get(page);
    assert.equal(checkbox(shown.body, 'require_pkce'), 'unchecked');
    assert.equal(checkbox(shown.body, 'strict_oauth'), 'unchecked');
    assert.match(shown.body, /Require PKCE/);
    assert.match(shown.body, /Strict OAuth/);

    let res = await submit(mina, page, page, { ...FORM, require_pkce: 'on', strict_oauth: 'on' });
    assert.equal(res.statusCode, 303, res.body);
    assert.deepEqual(await login(), { require_pkce: true, strict_oauth: true });
    shown = await mina.get(page);
    assert.equal(checkbox(shown.body, 'require_pkce'), 'checked');
    assert.equal(checkbox(shown.body, 'strict_oauth'), 'checked');

    // Untick one: the browser leaves it out of the form, and that must read as off.
    res = await submit(mina, page, page, { ...FORM, strict_oauth: 'on' });
    assert.equal(res.statusCode, 303, res.body);
    assert.deepEqual(await login(), { require_pkce: false, strict_oauth: true });
    res = await submit(mina, page, page, FORM);
    assert.equal(res.statusCode, 303, res.body);
    assert.deepEqual(await login(), { require_pkce: false, strict_oauth: false });
    shown = await mina.get(page);
    assert.equal(checkbox(shown.body, 'require_pkce'), 'unchecked');
    assert.equal(checkbox(shown.body, 'strict_oauth'), 'unchecked');
  });

  it('shows the boxes as ticked when the form is refused, and saves nothing', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const page = `/developers/apps/${id}/login`;
    const bad = await submit(mina, page, page, {
      ...FORM,
      redirect_uris: 'http://shop.example.com/insecure',
      require_pkce: 'on',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(checkbox(bad.body, 'require_pkce'), 'checked');
    assert.equal(checkbox(bad.body, 'strict_oauth'), 'unchecked');
    assert.equal((await detailOf(app, mina.accountId, id)).login.require_pkce, false);
  });

  it('explains both boxes in Korean', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const ko = await mina.get(`/developers/apps/${id}/login`, { 'accept-language': 'ko' });
    assert.equal(ko.statusCode, 200);
    assert.match(ko.body, /PKCE 필수/);
    assert.match(ko.body, /엄격한 OAuth/);
    assert.match(ko.body, /code_challenge/);
  });
});
