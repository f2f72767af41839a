/**
 * The consent page as a person without JavaScript uses it, through the real pages on both
 * databases: the app's icon, name and company on top; required items first, fixed and still
 * submitted; "agree to all" as a plain submit button that grants every optional item; unchecked
 * optional items not granted; Cancel answering access_denied; the app's privacy policy and terms
 * linked only when the app set them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CreateAppInput } from '../../src/modules/apps/apps.types.ts';
import { PNG } from '../modules/apps/fixtures.ts';
import {
  Agent,
  appRedirect,
  createPerson,
  EN,
  REDIRECT_URI,
  startApp,
  startAuthorize,
  submitConsent,
  submitLogin,
} from './interaction-fixtures.ts';

/** Nickname optional and email required, so that "required first" differs from console order. */
async function createApp(app: FastifyInstance, input: Partial<CreateAppInput> = {}) {
  const owner = await createPerson(app, 'Developer');
  const created = await app.services.apps.createApp(
    { accountId: owner.id },
    {
      name: 'Cookie Shop',
      company_name: 'Cookie Co',
      redirect_uris: [REDIRECT_URI],
      consent_items: [
        { item: 'profile_nickname', mode: 'optional', purpose_en: 'To greet you', purpose_ko: '인사하려고' },
        { item: 'profile_image', mode: 'optional' },
        { item: 'account_email', mode: 'required', purpose_en: 'For receipts', purpose_ko: '영수증 발송' },
      ],
      ...input,
    },
  );
  return { owner, created };
}

async function consentPage(app: FastifyInstance, issuer: string, clientId: string, headers = EN) {
  const person = await createPerson(app);
  const browser = new Agent(app, headers);
  await startAuthorize(browser, issuer, clientId);
  const res = await submitLogin(browser, issuer, person.email);
  assert.equal(res.statusCode, 200, res.body.slice(0, 300));
  return { person, browser, page: res.body };
}

describe('consent page', () => {
  it('shows an app without an icon by its first letter on a tile, as Kakao shows a default icon', async (t) => {
    const { app, config } = await startApp(t);
    const { created } = await createApp(app);
    const { page } = await consentPage(app, config.issuer, created.rest_api_key);
    assert.match(page, /<span class="app-icon-blank s48" aria-hidden="true">C<\/span>/);
    assert.doesNotMatch(page, /<img src="\/apps\//);
  });

  it('shows the icon, name and company, and lists required items first with their purposes', async (t) => {
    const { app, config } = await startApp(t);
    const { owner, created } = await createApp(app);
    await app.services.apps.setIcon({ accountId: owner.id }, created.app_id, { bytes: PNG });
    const { page } = await consentPage(app, config.issuer, created.rest_api_key);

    assert.match(page, new RegExp(`<img src="/apps/${created.app_id}/icon" alt="Icon of Cookie Shop"`));
    assert.match(page, /<strong class="consent-app-name">Cookie Shop<\/strong>/);
    assert.match(page, /Provided by Cookie Co/);
    assert.match(page, /<fieldset class="consent-items"><legend>Information to share<\/legend>/);
    const required = page.indexOf('id="item-account_email"');
    const optional = page.indexOf('id="item-profile_nickname"');
    assert.ok(required > 0 && optional > required, 'the required item comes before the optional ones');
    assert.match(page, /id="item-account_email" checked disabled/);
    assert.match(page, /<input type="hidden" name="item" value="account_email"/);
    assert.match(page, /Purpose: For receipts/);
    // no purpose entered: the page says what the item is in plain words
    assert.match(page, /The picture the app shows for you\./);
    // Cancel comes first, both real submit buttons of the same form, side by side
    const cancel = page.indexOf('id="consent-cancel"');
    const agree = page.indexOf('id="consent-agree"');
    assert.ok(cancel > 0 && agree > cancel);
    assert.match(page, /<div class="consent-actions"><button type="submit" name="action" value="cancel"/);
    // "agree to all" works without JavaScript: a submit button; the script only enhances it
    assert.match(page, /<button type="submit" name="action" value="agree_all"/);
    assert.match(page, /<script src="\/assets\/consent-all.js" defer><\/script>/);
    const script = await app.inject({ url: '/assets/consent-all.js' });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
  });

  it('submits the fixed required items without JavaScript and grants no unchecked optional item', async (t) => {
    const { app, config } = await startApp(t);
    const { created } = await createApp(app);
    const { person, browser } = await consentPage(app, config.issuer, created.rest_api_key);
    const res = await submitConsent(browser, config.issuer, { action: 'agree', items: ['profile_image'] });
    assert.ok(appRedirect(res).searchParams.get('code'));
    const live = await app.services.connections.getLive(person.id, created.app_id);
    assert.deepEqual(live?.items.sort(), ['account_email', 'profile_image']);
  });

  it('"agree to all" as a plain button grants every optional item', async (t) => {
    const { app, config } = await startApp(t);
    const { created } = await createApp(app);
    const { person, browser } = await consentPage(app, config.issuer, created.rest_api_key);
    // what a browser without JavaScript sends: the hidden required item and the button's name/value
    const res = await submitConsent(browser, config.issuer, { action: 'agree_all' });
    assert.ok(appRedirect(res).searchParams.get('code'));
    const live = await app.services.connections.getLive(person.id, created.app_id);
    assert.deepEqual(live?.items.sort(), ['account_email', 'profile_image', 'profile_nickname']);
  });

  it('Cancel returns access_denied to the app and links nothing', async (t) => {
    const { app, config } = await startApp(t);
    const { created } = await createApp(app);
    const { person, browser } = await consentPage(app, config.issuer, created.rest_api_key);
    const res = await submitConsent(browser, config.issuer, { action: 'cancel' });
    assert.equal(appRedirect(res).searchParams.get('error'), 'access_denied');
    assert.equal(await app.services.connections.getLive(person.id, created.app_id), undefined);
  });

  it('links the privacy policy and terms in the same tab only when the app set them', async (t) => {
    const { app, config } = await startApp(t);
    const { created } = await createApp(app, {
      privacy_policy_url: 'https://cookie.example/privacy',
      terms_url: 'https://cookie.example/terms',
    });
    const { page } = await consentPage(app, config.issuer, created.rest_api_key, {
      'accept-language': 'ko',
    });
    assert.match(
      page,
      /<a href="https:\/\/cookie.example\/privacy" rel="noopener noreferrer" id="privacy-link">개인정보 처리방침<\/a>/,
    );
    assert.match(
      page,
      /<a href="https:\/\/cookie.example\/terms" rel="noopener noreferrer" id="terms-link">이용약관<\/a>/,
    );
    assert.doesNotMatch(page, /target="_blank"/);
    assert.match(page, /Cookie Shop 서비스 제공을 위해 회원님의 아래 정보 제공에 동의해 주세요\./);
    assert.match(page, /\[필수\]/);
    assert.match(page, /\[선택\]/);

    const { created: bare } = await createApp(app, { name: 'Bare Shop' });
    const plain = (await consentPage(app, config.issuer, bare.rest_api_key)).page;
    assert.doesNotMatch(plain, /id="privacy-link"|id="terms-link"/);
    assert.match(plain, /Bare Shop has not published a privacy policy or terms of service\./);

    const { created: termsOnly } = await createApp(app, { terms_url: 'https://cookie.example/terms' });
    const terms = (await consentPage(app, config.issuer, termsOnly.rest_api_key)).page;
    assert.match(terms, /id="terms-link">Terms of service</);
    assert.doesNotMatch(terms, /id="privacy-link"/);
  });
});
