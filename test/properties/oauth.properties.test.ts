/**
 * Property tests (fast-check, bounded runs, both database lanes):
 * - a mutated redirect URI is never accepted and never redirected to;
 * - a replayed authorization code is refused and revokes the tokens issued from it;
 * - a reused, replaced refresh token revokes the whole family.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { GRACE_MS } from '../../src/oidc/refresh-grace.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import {
  authorizeThroughEngine,
  createClientApp,
  createPerson,
  postForm,
  REDIRECT_URI,
} from '../oidc/engine-fixtures.ts';

const DAY_MS = 86_400_000;

/** Small edits an attacker might try on https://rp.example/callback. */
const mutatedRedirect = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 4 }).map((s) => `${REDIRECT_URI}${s}`),
    fc
      .constantFrom('/', '/..', '%2F', '?x=1', '#f', '.evil.example', ':443', ':8443')
      .map((s) => REDIRECT_URI + s),
    fc.constantFrom(
      'http://rp.example/callback',
      'https://RP.example/callback',
      'https://rp.example/Callback',
      'https://rp.example.evil.example/callback',
      'https://rp.example@evil.example/callback',
      'https://evil.example/callback?https://rp.example/callback',
      'https://rp.example/callback/../evil',
      'https://rp.example//callback',
      '//evil.example/callback',
      ' https://rp.example/callback',
    ),
    fc
      .tuple(fc.nat({ max: REDIRECT_URI.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }))
      .map(([i, c]) => REDIRECT_URI.slice(0, i) + c + REDIRECT_URI.slice(i + 1)),
    fc.nat({ max: REDIRECT_URI.length - 1 }).map((i) => REDIRECT_URI.slice(0, i) + REDIRECT_URI.slice(i + 1)),
  )
  .filter((uri) => uri !== REDIRECT_URI);

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const { app, db } = await buildTestApp(t);
  const client = await createClientApp(app, { client_secret_enabled: true });
  const auth = { client_id: client.rest_api_key, client_secret: client.client_secret };
  const tokensFor = async () => {
    const person = await createPerson(app);
    const flow = await authorizeThroughEngine(app, {
      clientId: client.rest_api_key,
      appId: client.app_id,
      accountId: person.id,
      scope: 'openid profile_nickname',
    });
    assert.ok(flow.code, flow.res.body);
    const exchange = () =>
      postForm(app, '/oauth/token', {
        ...auth,
        grant_type: 'authorization_code',
        redirect_uri: REDIRECT_URI,
        code: flow.code!,
        code_verifier: flow.verifier,
      });
    return { exchange };
  };
  const introspect = async (token: string) =>
    (await postForm(app, '/oauth/introspect', { ...auth, token })).json().active as boolean;
  const refresh = (token: string) =>
    postForm(app, '/oauth/token', { ...auth, grant_type: 'refresh_token', refresh_token: token });
  return { app, db, client, auth, tokensFor, introspect, refresh };
}

describe('OAuth properties', () => {
  test('a mutated redirect URI is never accepted and never redirected to', async (t) => {
    const { app, client } = await setup(t);
    await fc.assert(
      fc.asyncProperty(mutatedRedirect, async (uri) => {
        const query = new URLSearchParams({
          client_id: client.rest_api_key,
          redirect_uri: uri,
          response_type: 'code',
          scope: 'profile_nickname',
          state: 's',
        });
        const res = await app.inject({ url: `/oauth/authorize?${query}`, headers: { accept: 'text/html' } });
        assert.equal(res.headers.location, undefined, `redirected for ${JSON.stringify(uri)}`);
        assert.ok(res.statusCode >= 400, `${res.statusCode} for ${JSON.stringify(uri)}`);
      }),
      { numRuns: 60 },
    );
  });

  test('a replayed authorization code is refused and revokes the tokens issued from it', async (t) => {
    const { tokensFor, introspect, refresh } = await setup(t);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), async (replays) => {
        const { exchange } = await tokensFor();
        const first = await exchange();
        assert.equal(first.statusCode, 200, first.body);
        const { access_token: at, refresh_token: rt } = first.json();
        assert.equal(await introspect(at), true);
        for (let i = 0; i < replays; i++) {
          const again = await exchange();
          assert.equal(again.statusCode, 400);
          assert.equal(again.json().error_code, 'KOE320');
        }
        assert.equal(await introspect(at), false, 'access token from the replayed code is revoked');
        assert.equal((await refresh(rt)).json().error_code, 'KOE322', 'so is its refresh token');
      }),
      { numRuns: 4 },
    );
  });

  test('a reused, replaced refresh token revokes the whole family', async (t) => {
    const { tokensFor, introspect, refresh } = await setup(t);
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    await fc.assert(
      // days after issue at which the refresh happens: more than 30 elapsed = fewer than 30 left
      fc.asyncProperty(fc.integer({ min: 31, max: 59 }), async (days) => {
        const { exchange } = await tokensFor();
        const first = (await exchange()).json();
        t.mock.timers.tick(days * DAY_MS);
        const rotated = await refresh(first.refresh_token);
        assert.equal(rotated.statusCode, 200, rotated.body);
        const second = rotated.json();
        assert.ok(
          second.refresh_token && second.refresh_token !== first.refresh_token,
          'a new refresh token',
        );
        assert.equal(await introspect(second.access_token), true);

        // a repeat within the grace window gets the same answer (refresh-grace.ts): the replay
        // this property is about comes after it
        t.mock.timers.tick(GRACE_MS + 1000);
        const reuse = await refresh(first.refresh_token);
        assert.equal(reuse.json().error_code, 'KOE322');
        assert.equal(await introspect(second.access_token), false, 'the family is revoked');
        assert.equal((await refresh(second.refresh_token)).json().error_code, 'KOE322');
      }),
      { numRuns: 4 },
    );
  });
});
