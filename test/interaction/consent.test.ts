/**
 * Login and consent through the real pages: the first link asks consent, required
 * items cannot be dropped, optional items are honoured, a second login skips consent, a during-use
 * item requested with `scope=` asks again for just that item, Cancel answers access_denied.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Agent,
  appRedirect,
  createClientApp,
  createPerson,
  EN,
  startApp,
  startAuthorize,
  submitConsent,
  submitLogin,
} from './interaction-fixtures.ts';

test('first link: login page, consent page with fixed required and optional items, then a code', async (t) => {
  const { app, db, config } = await startApp(t);
  const client = await createClientApp(app);
  const person = await createPerson(app, 'Mina');
  const browser = new Agent(app, EN);

  let res = await startAuthorize(browser, config.issuer, client.rest_api_key, { state: 's-42' });
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /Cookie Shop/);
  assert.match(String(res.headers['cache-control']), /no-store/);
  assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);

  res = await submitLogin(browser, config.issuer, person.email);
  assert.equal(res.statusCode, 200, res.body.slice(0, 300));
  // consent page: required item fixed (disabled checkbox + hidden input), optional item free
  assert.match(res.body, /id="item-profile_nickname" checked disabled/);
  assert.match(res.body, /<input type="hidden" name="item" value="profile_nickname"/);
  assert.match(res.body, /id="item-account_email" name="item" value="account_email"/);
  assert.match(res.body, /To greet you/);
  assert.match(res.body, /href="https:\/\/rp.example\/privacy"/);
  // a during-use item is not on the first screen unless requested
  assert.doesNotMatch(res.body, /item-gender/);

  res = await submitConsent(browser, config.issuer, { action: 'agree' });
  const back = appRedirect(res);
  assert.ok(back.searchParams.get('code'));
  assert.equal(back.searchParams.get('state'), 's-42');

  const live = await app.services.connections.getLive(person.id, client.app_id);
  assert.deepEqual(live?.items, ['profile_nickname']);
  // the yeon session was started by the interaction login
  const sessions = await db
    .selectFrom('sessions')
    .select('account_id')
    .where('account_id', '=', person.id)
    .execute();
  assert.equal(sessions.length, 1);

  // second login, same browser: no page at all
  res = await startAuthorize(browser, config.issuer, client.rest_api_key);
  assert.ok(appRedirect(res).searchParams.get('code'));

  // a new browser: login, but no consent page (the link covers the request)
  const other = new Agent(app, EN);
  await startAuthorize(other, config.issuer, client.rest_api_key);
  res = await submitLogin(other, config.issuer, person.email);
  assert.ok(appRedirect(res).searchParams.get('code'));
});

test('a forged consent POST without the required items is refused; optional items are honoured', async (t) => {
  const { app, config } = await startApp(t);
  const client = await createClientApp(app);
  const person = await createPerson(app);
  const browser = new Agent(app, EN);
  await startAuthorize(browser, config.issuer, client.rest_api_key);
  await submitLogin(browser, config.issuer, person.email);

  let res = await submitConsent(browser, config.issuer, {
    action: 'agree',
    items: ['account_email'],
    keepRequired: false,
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /required items must be agreed/);
  assert.equal(await app.services.connections.getLive(person.id, client.app_id), undefined);

  // an item the app does not offer on this screen is ignored
  res = await submitConsent(browser, config.issuer, {
    action: 'agree',
    items: ['account_email', 'phone_number'],
  });
  assert.ok(appRedirect(res).searchParams.get('code'));
  const live = await app.services.connections.getLive(person.id, client.app_id);
  assert.deepEqual(live?.items.sort(), ['account_email', 'profile_nickname']);
});

test('"Agree to all" agrees to every optional item; Cancel answers access_denied', async (t) => {
  const { app, config } = await startApp(t);
  const client = await createClientApp(app);
  const person = await createPerson(app);

  const first = new Agent(app, EN);
  await startAuthorize(first, config.issuer, client.rest_api_key);
  await submitLogin(first, config.issuer, person.email);
  let res = await submitConsent(first, config.issuer, { action: 'cancel' });
  const denied = appRedirect(res);
  assert.equal(denied.searchParams.get('error'), 'access_denied');
  assert.equal(denied.searchParams.get('state'), 'state-1');
  assert.equal(await app.services.connections.getLive(person.id, client.app_id), undefined);

  res = await startAuthorize(first, config.issuer, client.rest_api_key);
  assert.match(res.body, /Agree to all and continue/);
  res = await submitConsent(first, config.issuer, { action: 'agree_all' });
  assert.ok(appRedirect(res).searchParams.get('code'));
  const live = await app.services.connections.getLive(person.id, client.app_id);
  assert.deepEqual(live?.items.sort(), ['account_email', 'profile_nickname']);
});

test('scope=gender (during use) asks again for just that item, then not again', async (t) => {
  const { app, config } = await startApp(t);
  const client = await createClientApp(app);
  const person = await createPerson(app);
  const browser = new Agent(app, EN);
  await startAuthorize(browser, config.issuer, client.rest_api_key);
  await submitLogin(browser, config.issuer, person.email);
  await submitConsent(browser, config.issuer, { action: 'agree' });

  let res = await startAuthorize(browser, config.issuer, client.rest_api_key, { scope: 'gender' });
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /id="item-gender" name="item" value="gender"/);
  assert.doesNotMatch(res.body, /item-profile_nickname/);
  assert.doesNotMatch(res.body, /item-account_email/);
  res = await submitConsent(browser, config.issuer, { action: 'agree', items: ['gender'] });
  assert.ok(appRedirect(res).searchParams.get('code'));
  const live = await app.services.connections.getLive(person.id, client.app_id);
  assert.deepEqual(live?.items.sort(), ['gender', 'profile_nickname']);

  res = await startAuthorize(browser, config.issuer, client.rest_api_key, { scope: 'gender' });
  assert.ok(appRedirect(res).searchParams.get('code'));
});
