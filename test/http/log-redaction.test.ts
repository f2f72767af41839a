/**
 * No secret in the logs (OWASP Logging Cheat Sheet, "Data to exclude"): a whole sign-up, login,
 * authorization, token exchange, user API call with `?access_token=` and with a bearer header, and
 * refresh, with the real app logging at info level into a buffer; none of the passwords, cookies,
 * CSRF tokens, codes, client secrets, access or refresh tokens used on the way appears in it.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { REDACTED, redactUrl } from '../../src/http/log-redaction.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { createKakaoApp } from '../kakao/helpers.ts';

const REDIRECT_URI = 'https://rp.example/callback';
const EMAIL = 'logs@example.com';
const PASSWORD = 'a-password-only-this-test-knows';

/** The consent step as the consent page records it (oidc-provider `interactionResult`). */
async function finishInteraction(app: FastifyInstance, uid: string, accountId: string, appId: number) {
  const provider = app.oidc;
  const interaction = (await provider.Interaction.find(uid))!;
  if (interaction.prompt.name === 'login') {
    interaction.result = { login: { accountId } };
  } else {
    const clientId = String(interaction.params.client_id);
    const grant = interaction.grantId
      ? (await provider.Grant.find(interaction.grantId))!
      : new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(String(interaction.params.scope ?? 'profile_nickname'));
    await app.services.connections.agree({ accountId, appId, items: ['profile_nickname'] });
    interaction.result = { consent: { grantId: await grant.save() } };
  }
  await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
}

function form(app: FastifyInstance, url: string, body: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(body).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
  });
}

describe('request logs', () => {
  it('hold no password, cookie, CSRF token, code, client secret, access or refresh token', async (t) => {
    let log = '';
    const { app } = await buildTestApp(t, {
      logStream: {
        write(line: string) {
          log += line;
        },
      },
    });
    const secrets: Record<string, string> = { password: PASSWORD };
    const client = await createKakaoApp(app, {
      redirect_uris: [REDIRECT_URI],
      client_secret_enabled: true,
      consent_items: [{ item: 'profile_nickname', mode: 'required' }],
    });
    secrets.client_secret = client.client_secret;

    const browser = new Agent(app, { 'accept-language': 'en' });
    assert.equal((await browser.signUp(EMAIL, PASSWORD, 'Logs')).statusCode, 303);
    await browser.get('/account');
    assert.equal((await browser.post('/logout', {})).statusCode, 303);
    assert.equal((await browser.login(EMAIL, PASSWORD)).statusCode, 303);
    for (const [name, value] of browser.cookies) secrets[`cookie ${name}`] = value;
    await browser.get('/account');
    secrets.csrf = browser.csrf();
    const account = (await app.services.accounts.getByEmail(EMAIL))!;

    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: client.rest_api_key,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      state: 'st-1',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    let res: LightMyRequestResponse = await browser.get(`/oauth/authorize?${query}`);
    for (let hop = 0; hop < 8; hop++) {
      const m = /^\/oauth\/interaction\/([\w-]+)/.exec(String(res.headers.location ?? ''));
      if (!m) break;
      await finishInteraction(app, m[1]!, account.id, client.app_id);
      const details = await app.oidc.Interaction.find(m[1]!);
      res = await browser.get(new URL(details!.returnTo).pathname);
    }
    const code = new URL(String(res.headers.location)).searchParams.get('code');
    assert.ok(code, `a code came back: ${res.statusCode} ${res.headers.location}`);
    secrets.code = code;
    secrets.code_verifier = verifier;

    const tokens = await form(app, '/oauth/token', {
      grant_type: 'authorization_code',
      client_id: client.rest_api_key,
      client_secret: client.client_secret,
      redirect_uri: REDIRECT_URI,
      code,
      code_verifier: verifier,
    });
    assert.equal(tokens.statusCode, 200, tokens.body);
    const { access_token, refresh_token } = tokens.json() as { access_token: string; refresh_token: string };
    secrets.access_token = access_token;
    secrets.refresh_token = refresh_token;

    const me = await app.inject({ method: 'GET', url: `/v2/user/me?access_token=${access_token}` });
    assert.equal(me.statusCode, 200, me.body);
    const bearer = await app.inject({
      method: 'GET',
      url: '/v2/user/me',
      headers: { authorization: `Bearer ${access_token}` },
    });
    assert.equal(bearer.statusCode, 200, bearer.body);
    const refreshed = await form(app, '/oauth/token', {
      grant_type: 'refresh_token',
      client_id: client.rest_api_key,
      client_secret: client.client_secret,
      refresh_token,
    });
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    secrets.new_access_token = (refreshed.json() as { access_token: string }).access_token;

    assert.match(log, /"url":"\/v2\/user\/me\?access_token=\[redacted\]"/, 'the request itself is logged');
    for (const [what, value] of Object.entries(secrets)) {
      assert.ok(value.length >= 8, `${what} is long enough to grep for`);
      assert.equal(log.includes(value), false, `the ${what} appears in the log`);
    }
  });

  it('redacts credential query values and keeps the rest of the URL', () => {
    assert.equal(
      redactUrl('/cb?code=abc&state=xyz&client_secret=s3&Access_Token=t'),
      `/cb?code=${REDACTED}&state=xyz&client_secret=${REDACTED}&Access_Token=${REDACTED}`,
    );
    assert.equal(redactUrl('/v2/user/me'), '/v2/user/me');
    assert.equal(redactUrl('/x?access%5Ftoken=t&flag'), `/x?access%5Ftoken=${REDACTED}&flag`);
  });
});
