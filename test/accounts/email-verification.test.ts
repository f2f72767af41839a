/**
 * Email confirmation: sign-up mails a link (through the real dispatcher to a real SMTP server on
 * loopback); until it is used `/v2/user/me` says is_email_verified false and the ID token carries
 * no email; after, both say so. Resending is limited; a changed address is confirmed at the new
 * address before it replaces the old one, and the old address is told.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { sha256 } from '../../src/lib/crypto.ts';
import { Agent } from '../helpers/agent.ts';
import { kapi } from '../kakao/helpers.ts';
import { authorizeThroughEngine, createClientApp, postForm, REDIRECT_URI } from '../oidc/engine-fixtures.ts';
import { EN, linkIn, PASSWORD, recoveryApp } from './recovery-fixtures.ts';

const EMAIL = 'mina@example.com';
const isVerify = (m: ParsedMail) => (m.text ?? '').includes('/verify-email?token=');

/** An OpenID Connect login at an app that asks for the email: the ID token's claims and /v2/user/me. */
async function signInAtApp(app: FastifyInstance, accountId: string, browser: Agent) {
  const client = await createClientApp(app, { client_secret_enabled: true });
  const flow = await authorizeThroughEngine(app, {
    clientId: client.rest_api_key,
    appId: client.app_id,
    accountId,
    scope: 'openid profile_nickname account_email',
    browser,
  });
  const res = await postForm(app, '/oauth/token', {
    client_id: client.rest_api_key,
    client_secret: client.client_secret!,
    grant_type: 'authorization_code',
    redirect_uri: REDIRECT_URI,
    code: flow.code!,
    code_verifier: flow.verifier,
  });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  const claims = JSON.parse(Buffer.from(String(body.id_token).split('.')[1]!, 'base64url').toString());
  const me = (await kapi(app, 'GET', '/v2/user/me', { bearer: body.access_token })).json();
  return { claims, me };
}

describe('email confirmation', () => {
  it('sign-up mails a link; after it is confirmed /v2/user/me and the ID token say the email is verified', async (t) => {
    const { app, db, config, mailsTo } = await recoveryApp(t);
    const browser = new Agent(app, EN);
    assert.equal((await browser.signUp(EMAIL)).statusCode, 303);
    const account = (await app.services.accounts.getByEmail(EMAIL))!;

    const before = await signInAtApp(app, account.id, browser);
    assert.equal(before.me.kakao_account.is_email_verified, false);
    assert.equal(before.me.kakao_account.email, EMAIL);
    assert.equal(before.claims.email, undefined, 'no email in the ID token before confirmation');
    const page = await browser.get('/account');
    assert.match(page.body, /Your email address is not confirmed yet/);

    const mail = (await mailsTo(EMAIL)).find(isVerify);
    assert.ok(mail, 'the confirmation mail arrived');
    assert.match(mail.subject ?? '', /Confirm your email address/);
    const path = linkIn(mail, config.issuer);
    const token = new URL(path, 'http://x').searchParams.get('token')!;
    const row = await db
      .selectFrom('account_tokens')
      .selectAll()
      .where('purpose', '=', 'verify_email')
      .executeTakeFirstOrThrow();
    assert.equal(row.token_hash, sha256(token), 'only the hash is stored');
    assert.equal(row.expires_at - row.created_at, 24 * 3_600_000);

    // Opening the link only shows a button: a mail scanner following it confirms nothing.
    const clicked = new Agent(app, EN);
    const confirmPage = await clicked.get(path);
    assert.equal(confirmPage.statusCode, 200);
    assert.equal((await app.services.accounts.getById(account.id))!.email_verified_at, null);
    const confirmed = await clicked.post('/verify-email', { token });
    assert.equal(confirmed.statusCode, 200);
    assert.match(confirmed.body, /is confirmed/);
    assert.equal((await clicked.get(path)).statusCode, 400, 'the link works once');

    const after = await signInAtApp(app, account.id, browser);
    assert.equal(after.me.kakao_account.is_email_verified, true);
    assert.equal(after.claims.email, EMAIL, 'the ID token carries the verified email');
    assert.match((await browser.get('/account')).body, /Confirmed/);
  });

  it('"send again" mails a new link at most once a minute and five times an hour', async (t) => {
    const { app, clock, mailsTo } = await recoveryApp(t);
    const browser = new Agent(app, EN);
    await browser.signUp(EMAIL);
    const resend = async () => {
      await browser.get('/account');
      return browser.post('/account/email/resend', {});
    };
    const first = await resend();
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, '/account?verification=sent');
    assert.equal((await resend()).statusCode, 429, 'not twice in a minute');
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(61_000);
      codes.push((await resend()).statusCode);
    }
    assert.deepEqual(codes, [303, 303, 303, 303, 429], 'five an hour');
    const links = (await mailsTo(EMAIL)).filter(isVerify);
    assert.equal(links.length, 1 + 5, 'the sign-up mail and five resends');
  });

  it('a new address is confirmed at that address before it replaces the old one, and the old one is told', async (t) => {
    const { app, config, mailsTo } = await recoveryApp(t);
    const browser = new Agent(app, EN);
    await browser.signUp(EMAIL);
    await new Agent(app).signUp('taken@example.com');
    await browser.get('/account/email');
    const wrong = await browser.post('/account/email', {
      new_email: 'new@example.com',
      current_password: 'nope nope',
    });
    assert.equal(wrong.statusCode, 400, 'the current password is required');
    await browser.get('/account/email');
    const taken = await browser.post('/account/email', {
      new_email: 'TAKEN@example.com',
      current_password: PASSWORD,
    });
    assert.equal(taken.statusCode, 409, 'an address of another account is refused (case-folded)');
    await browser.get('/account/email');
    const asked = await browser.post('/account/email', {
      new_email: 'Mina.New@Example.com',
      current_password: PASSWORD,
    });
    assert.equal(asked.statusCode, 200);
    assert.match(asked.body, /We sent a link to Mina\.New@Example\.com/);
    assert.equal((await app.services.accounts.getByEmail(EMAIL))?.email, EMAIL, 'nothing changes yet');
    assert.match((await browser.get('/account')).body, /Waiting for confirmation of Mina\.New@Example\.com/);

    const link = (await mailsTo('Mina.New@Example.com')).find(isVerify);
    assert.ok(link, 'the link went to the new address');
    const path = linkIn(link, config.issuer);
    const clicked = new Agent(app, EN);
    await clicked.get(path);
    const done = await clicked.post('/verify-email', {
      token: new URL(path, 'http://x').searchParams.get('token')!,
    });
    assert.equal(done.statusCode, 200);
    const moved = (await app.services.accounts.getByEmail('mina.new@example.com'))!;
    assert.equal(moved.email, 'Mina.New@Example.com');
    assert.notEqual(moved.email_verified_at, null, 'the new address is confirmed');
    assert.equal(await app.services.accounts.getByEmail(EMAIL), undefined);
    const notice = (await mailsTo(EMAIL)).find((m) =>
      /email address of your .* account was changed/.test(m.subject ?? ''),
    );
    assert.ok(notice, 'the old address was told');
    assert.match(notice.text ?? '', /Mina\.New@Example\.com/);
    assert.equal((await new Agent(app).login('mina.new@example.com')).statusCode, 303);
  });
});
