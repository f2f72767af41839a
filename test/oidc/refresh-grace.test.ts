/**
 * Refresh as Kakao clients use it (src/oidc/refresh-grace.ts; RFC 9700 §4.14.2): the same refresh
 * token sent several times at once (two tabs, a retry after a timeout) gets one answer, also across
 * the point where Kakao's rule renews the refresh token (less than 30 days left); reuse of a
 * renewed-away token after the grace window revokes the family; the answer goes only to the same
 * client credentials; and the `scope` of refresh and introspection answers is the live one after
 * a withdrawal.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GRACE_MS } from '../../src/oidc/refresh-grace.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import {
  authorizeThroughEngine,
  createClientApp,
  createPerson,
  postForm,
  REDIRECT_URI,
} from './engine-fixtures.ts';

const DAY_MS = 86_400_000;

async function loggedIn(t: Parameters<typeof buildTestApp>[0]) {
  const { app, db } = await buildTestApp(t);
  const client = await createClientApp(app, { client_secret_enabled: true });
  const person = await createPerson(app);
  const flow = await authorizeThroughEngine(app, {
    clientId: client.rest_api_key,
    appId: client.app_id,
    accountId: person.id,
    scope: 'profile_nickname,account_email',
  });
  const first = await postForm(app, '/oauth/token', {
    grant_type: 'authorization_code',
    client_id: client.rest_api_key,
    client_secret: client.client_secret,
    redirect_uri: REDIRECT_URI,
    code: flow.code!,
    code_verifier: flow.verifier,
  });
  assert.equal(first.statusCode, 200, first.body);
  const refresh = (refreshToken: string, secret = client.client_secret) =>
    postForm(app, '/oauth/token', {
      grant_type: 'refresh_token',
      client_id: client.rest_api_key,
      client_secret: secret,
      refresh_token: refreshToken,
    });
  return { app, db, client, person, tokens: first.json(), refresh };
}

describe('refresh grace window', () => {
  test('five refreshes at once across a renewal get one answer; after the window the old token revokes the family', async (t) => {
    const s = await loggedIn(t);
    const rt1 = String(s.tokens.refresh_token);
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    t.mock.timers.tick(31 * DAY_MS); // 29 days left: this refresh renews the refresh token

    const answers = await Promise.all(Array.from({ length: 5 }, () => s.refresh(rt1)));
    for (const a of answers) assert.equal(a.statusCode, 200, a.body);
    const bodies = answers.map((a) => a.json());
    const rt2 = String(bodies[0].refresh_token);
    assert.ok(rt2 && rt2 !== rt1, 'renewed');
    for (const b of bodies) assert.deepEqual(b, bodies[0], 'the same new pair for every caller');
    const me = await s.app.inject({
      url: '/v2/user/me',
      headers: { authorization: `Bearer ${bodies[0].access_token}` },
    });
    assert.equal(me.statusCode, 200, me.body);

    // another client credential inside the window gets no replay
    const stranger = await s.refresh(rt1, 'not-the-secret');
    assert.equal(stranger.statusCode, 401, stranger.body);

    t.mock.timers.tick(GRACE_MS + 1000);
    const reuse = await s.refresh(rt1);
    assert.equal(reuse.statusCode, 400, reuse.body);
    assert.equal(reuse.json().error_code, 'KOE322');
    const familyGone = await s.refresh(rt2);
    assert.equal(familyGone.statusCode, 400, 'reuse after the window revokes the family (RFC 9700 §4.14.2)');
  });

  test('without a renewal, concurrent refreshes get the same new access token', async (t) => {
    const s = await loggedIn(t);
    const rt = String(s.tokens.refresh_token);
    const [a, b] = await Promise.all([s.refresh(rt), s.refresh(rt)]);
    assert.equal(a.statusCode, 200, a.body);
    assert.equal(b.statusCode, 200, b.body);
    assert.equal(a.json().access_token, b.json().access_token);
    assert.equal(a.json().refresh_token, undefined, 'Kakao: no new refresh token with 60 days left');
  });

  test('after a withdrawal, refresh and introspection answer the live scope', async (t) => {
    const s = await loggedIn(t);
    const rt = String(s.tokens.refresh_token);
    assert.deepEqual(String(s.tokens.scope).split(' ').sort(), [
      'account_email',
      'openid',
      'profile_nickname',
    ]);
    await s.app.services.connections.withdraw({
      accountId: s.person.id,
      appId: s.client.app_id,
      item: 'account_email',
    });
    const introspect = async (token: string) =>
      (
        await postForm(s.app, '/oauth/introspect', {
          token,
          client_id: s.client.rest_api_key,
          client_secret: s.client.client_secret,
        })
      ).json();
    const before = await introspect(String(s.tokens.access_token));
    assert.equal(before.active, true);
    assert.deepEqual(String(before.scope).split(' ').sort(), ['openid', 'profile_nickname']);

    const refreshed = await s.refresh(rt);
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    assert.deepEqual(String(refreshed.json().scope).split(' ').sort(), ['openid', 'profile_nickname']);
  });
});
