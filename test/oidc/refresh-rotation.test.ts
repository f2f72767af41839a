/**
 * Kakao's refresh rule through the real mount (Kakao REST API "Refresh tokens"): a refresh
 * token lives 60 days; a new one is issued only when less than 30 days remain, and reusing the
 * replaced one revokes the family. Time is moved with a mocked Date (oidc-provider reads Date.now).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { storedKey } from '../../src/oidc/payload-at-rest.ts';
import { authorizeCode, buildOidcTestApp, CONFIDENTIAL_CLIENT, tokenRequest } from './oidc-test-app.ts';

const DAY_MS = 86_400_000;

describe('refresh token rotation', () => {
  test('same refresh token until fewer than 30 days remain, then a new one; the old one revokes the family', async (t) => {
    const { app, config } = await buildOidcTestApp(t);
    const { code, verifier } = await authorizeCode(app, config.issuer, { scope: 'openid' });
    const first = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: CONFIDENTIAL_CLIENT.redirect_uris![0]!,
    });
    assert.equal(first.statusCode, 200, first.body);
    const rt1 = String(first.json().refresh_token);
    const refresh = (refreshToken: string) =>
      tokenRequest(app, { grant_type: 'refresh_token', refresh_token: refreshToken });

    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });

    t.mock.timers.tick(29 * DAY_MS); // 31 days left: no rotation
    const early = await refresh(rt1);
    assert.equal(early.statusCode, 200, early.body);
    assert.equal(early.json().refresh_token, rt1, 'oidc-provider echoes the unchanged refresh token');

    t.mock.timers.tick(2 * DAY_MS); // 29 days left: rotation
    const late = await refresh(rt1);
    assert.equal(late.statusCode, 200, late.body);
    const rt2 = String(late.json().refresh_token);
    assert.notEqual(rt2, rt1);

    const reuse = await refresh(rt1);
    assert.equal(reuse.statusCode, 400);
    assert.equal(reuse.json().error, 'invalid_grant');
    const afterReuse = await refresh(rt2);
    assert.equal(afterReuse.statusCode, 400, 'the whole family is revoked');
    assert.equal(afterReuse.json().error, 'invalid_grant');
  });

  test('the Grant is read with the refresh token: a grant that is gone, or has changed, is what the next refresh sees', async (t) => {
    const { app, config, db, provider } = await buildOidcTestApp(t);
    const { code, verifier } = await authorizeCode(app, config.issuer, { scope: 'openid profile_nickname' });
    const first = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: CONFIDENTIAL_CLIENT.redirect_uris![0]!,
    });
    assert.equal(first.statusCode, 200, first.body);
    const rt = String(first.json().refresh_token);
    const refresh = (scope?: string) =>
      tokenRequest(app, { grant_type: 'refresh_token', refresh_token: rt, ...(scope ? { scope } : {}) });

    const token = await provider.RefreshToken.find(rt);
    const grant = (await provider.Grant.find(token!.grantId!))!;
    // consent narrowed between two refreshes: the next access token carries only what is left
    grant.rejectOIDCScope('profile_nickname');
    await grant.save();
    const narrowed = await refresh();
    assert.equal(narrowed.statusCode, 200, narrowed.body);
    assert.equal(narrowed.json().scope, 'openid');

    // the Grant row alone deleted (the refresh token row stays): refused as a missing grant
    await db
      .deleteFrom('oidc_payloads')
      .where('model', '=', 'Grant')
      .where('id', '=', storedKey(grant.jti))
      .execute();
    const gone = await refresh();
    assert.equal(gone.statusCode, 400, gone.body);
    assert.equal(gone.json().error, 'invalid_grant');
  });
});
