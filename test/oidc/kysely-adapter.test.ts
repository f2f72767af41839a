/**
 * The oidc-provider adapter on a real database of each lane (one suite, SQLite and PostgreSQL):
 * every contract method, expiry on read, grant revocation, and `consume` exactly once under races.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errors } from 'oidc-provider';
import { fakeClock } from '../../src/lib/clock.ts';
import {
  createKyselyAdapter,
  purgeExpiredOidcPayloads,
  revokeAccountAtClient,
} from '../../src/oidc/kysely-adapter.ts';
import { storedKey } from '../../src/oidc/payload-at-rest.ts';
import { freshDb } from './oidc-test-db.ts';

const HOUR = 3600;

describe('createKyselyAdapter', () => {
  test('upsert stores a payload that find returns, and upsert again replaces it', async (t) => {
    const db = await freshDb(t);
    const adapter = createKyselyAdapter(db)('AccessToken');
    await adapter.upsert('at1', { accountId: 'acc1', clientId: 'c1', grantId: 'g1', scope: 'openid' }, HOUR);
    assert.deepEqual(await adapter.find('at1'), {
      jti: 'at1',
      accountId: 'acc1',
      clientId: 'c1',
      grantId: 'g1',
      scope: 'openid',
    });
    await adapter.upsert('at1', { accountId: 'acc1', clientId: 'c1', grantId: 'g1', scope: 'profile' }, HOUR);
    assert.equal((await adapter.find('at1'))?.scope, 'profile');
    assert.equal(await adapter.find('missing'), undefined);
  });

  test('models are separate namespaces: the same id under two models are two rows', async (t) => {
    const db = await freshDb(t);
    const factory = createKyselyAdapter(db);
    await factory('AccessToken').upsert('same', { clientId: 'a' }, HOUR);
    await factory('RefreshToken').upsert('same', { clientId: 'r' }, HOUR);
    await factory('AccessToken').destroy('same');
    assert.equal(await factory('AccessToken').find('same'), undefined);
    assert.equal((await factory('RefreshToken').find('same'))?.clientId, 'r');
  });

  test('a payload without expiresIn never expires', async (t) => {
    const db = await freshDb(t);
    const clock = fakeClock();
    const adapter = createKyselyAdapter(db, { clock })('Client');
    await adapter.upsert('client-1', { client_id: 'client-1', redirect_uris: ['https://rp.test/cb'] });
    clock.advance(10 * 365 * 86_400_000);
    assert.equal((await adapter.find('client-1'))?.client_id, 'client-1');
  });

  test('find, findByUid and findByUserCode do not return expired rows, and purge deletes them', async (t) => {
    const db = await freshDb(t);
    const clock = fakeClock();
    const factory = createKyselyAdapter(db, { clock });
    const sessions = factory('Session');
    const deviceCodes = factory('DeviceCode');
    await sessions.upsert('sess1', { uid: 'uid-1', accountId: 'acc1' }, 60);
    await deviceCodes.upsert('dc1', { userCode: 'ABCD-EFGH', clientId: 'c1' }, 60);
    await factory('Grant').upsert('g-long', { accountId: 'acc1' }, 10 * HOUR);

    clock.advance(59_999);
    assert.equal((await sessions.find('sess1'))?.accountId, 'acc1');
    assert.equal((await sessions.findByUid('uid-1'))?.accountId, 'acc1');
    assert.equal((await deviceCodes.findByUserCode('ABCD-EFGH'))?.clientId, 'c1');

    clock.advance(1);
    assert.equal(await sessions.find('sess1'), undefined);
    assert.equal(await sessions.findByUid('uid-1'), undefined);
    assert.equal(await deviceCodes.findByUserCode('ABCD-EFGH'), undefined);
    assert.equal(await deviceCodes.find('dc1'), undefined);

    assert.equal(await purgeExpiredOidcPayloads(db, clock.now()), 2);
    const left = await db.selectFrom('oidc_payloads').select(['model', 'id']).execute();
    assert.deepEqual(left, [{ model: 'Grant', id: storedKey('g-long') }]);
  });

  test('findByUid and findByUserCode look only inside their own model', async (t) => {
    const db = await freshDb(t);
    const factory = createKyselyAdapter(db);
    await factory('Session').upsert('sess1', { uid: 'u1', accountId: 'acc1' }, HOUR);
    await factory('Interaction').upsert('int1', { uid: 'u1' }, HOUR);
    assert.equal((await factory('Session').findByUid('u1'))?.accountId, 'acc1');
    assert.equal(await factory('Session').findByUid('u2'), undefined);
    assert.equal(await factory('AccessToken').findByUserCode('NOPE'), undefined);
  });

  test('revokeByGrantId removes every grant-bound model of that grant and nothing else', async (t) => {
    const db = await freshDb(t);
    const factory = createKyselyAdapter(db);
    for (const model of ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode']) {
      await factory(model).upsert(`${model}-g1`, { grantId: 'g1' }, HOUR);
      await factory(model).upsert(`${model}-g2`, { grantId: 'g2' }, HOUR);
    }
    await factory('Grant').upsert('g1', { accountId: 'acc1', clientId: 'c1' }, HOUR);

    await factory('AccessToken').revokeByGrantId('g1');

    for (const model of ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode']) {
      assert.equal(await factory(model).find(`${model}-g1`), undefined, `${model} of g1 is revoked`);
      assert.ok(await factory(model).find(`${model}-g2`), `${model} of g2 is kept`);
    }
    // The Grant itself is destroyed by oidc-provider separately (lib/helpers/revoke.js).
    assert.ok(await factory('Grant').find('g1'));
  });

  test("revokeAccountAtClient deletes one account's tokens and grant at one app, or only the tokens", async (t) => {
    const db = await freshDb(t);
    const factory = createKyselyAdapter(db);
    const mine = { accountId: 'acc1', clientId: 'app1', grantId: 'g1' };
    await factory('Grant').upsert('g1', { accountId: 'acc1', clientId: 'app1' }, HOUR);
    await factory('AccessToken').upsert('at1', mine, HOUR);
    await factory('RefreshToken').upsert('rt1', mine, HOUR);
    await factory('AccessToken').upsert('at-other-app', { ...mine, clientId: 'app2', grantId: 'g2' }, HOUR);
    await factory('AccessToken').upsert('at-other-acc', { ...mine, accountId: 'acc2', grantId: 'g3' }, HOUR);
    await factory('Session').upsert('s1', { accountId: 'acc1', uid: 'u1' }, HOUR);

    assert.equal(await revokeAccountAtClient(db, 'acc1', 'app1', { keepGrant: true }), 2);
    assert.equal(await factory('AccessToken').find('at1'), undefined);
    assert.equal(await factory('RefreshToken').find('rt1'), undefined);
    assert.ok(await factory('Grant').find('g1'), 'consent kept (admin logout)');

    assert.equal(await revokeAccountAtClient(db, 'acc1', 'app1'), 1);
    assert.equal(await factory('Grant').find('g1'), undefined, 'consent gone (unlink)');
    assert.ok(await factory('AccessToken').find('at-other-app'));
    assert.ok(await factory('AccessToken').find('at-other-acc'));
    assert.ok(await factory('Session').find('s1'), 'the browser session is not an app token');
  });

  test('consume marks the stored payload consumed, and a stale re-save does not undo it', async (t) => {
    const db = await freshDb(t);
    const clock = fakeClock();
    const adapter = createKyselyAdapter(db, { clock })('AuthorizationCode');
    await adapter.upsert('code1', { grantId: 'g1', clientId: 'c1' }, 600);
    assert.equal((await adapter.find('code1'))?.consumed, undefined);

    await adapter.consume('code1');
    assert.equal((await adapter.find('code1'))?.consumed, Math.floor(clock.now() / 1000));

    await adapter.upsert('code1', { grantId: 'g1', clientId: 'c1' }, 600);
    assert.equal((await adapter.find('code1'))?.consumed, Math.floor(clock.now() / 1000));
  });

  test('ten racing consumes of one code: exactly one wins, the others are refused and revoke the grant', async (t) => {
    const db = await freshDb(t);
    const factory = createKyselyAdapter(db);
    const codes = factory('AuthorizationCode');
    await factory('Grant').upsert('g1', { accountId: 'acc1', clientId: 'c1' }, HOUR);
    await codes.upsert('code1', { grantId: 'g1', clientId: 'c1' }, 600);
    await factory('AccessToken').upsert('at-from-g1', { grantId: 'g1' }, HOUR);

    const results = await Promise.allSettled(Array.from({ length: 10 }, () => codes.consume('code1')));

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 9);
    for (const r of lost) assert.ok(r.reason instanceof errors.InvalidGrant, String(r.reason));
    // A second redemption is a replay: the grant and what was issued from it are gone.
    assert.equal(await factory('Grant').find('g1'), undefined);
    assert.equal(await factory('AccessToken').find('at-from-g1'), undefined);
    assert.equal(await codes.find('code1'), undefined);
  });

  test('racing consumes of a pushed request: one wins and the stored payload shows consumed', async (t) => {
    const db = await freshDb(t);
    const requests = createKyselyAdapter(db)('PushedAuthorizationRequest');
    await requests.upsert('par1', { request: 'eyJ…' }, 60);

    const results = await Promise.allSettled(Array.from({ length: 10 }, () => requests.consume('par1')));

    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.ok(r.reason instanceof errors.InvalidRequestUri, String(r.reason));
    }
    assert.equal(typeof (await requests.find('par1'))?.consumed, 'number');
  });

  test('an expired code cannot be consumed', async (t) => {
    const db = await freshDb(t);
    const clock = fakeClock();
    const codes = createKyselyAdapter(db, { clock })('AuthorizationCode');
    await codes.upsert('code1', { clientId: 'c1' }, 60);
    clock.advance(60_000);
    await assert.rejects(codes.consume('code1'), errors.InvalidGrant);
  });

  test('a row holds only hashes of the token value, uid and grant id, and find gives the value back as jti', async (t) => {
    const db = await freshDb(t);
    const factory = createKyselyAdapter(db);
    const payload = { jti: 'rt-value', grantId: 'grant-value', sessionUid: 'uid-value', clientId: 'c1' };
    await factory('RefreshToken').upsert('rt-value', payload, HOUR);
    await factory('Session').upsert(
      'cookie-value',
      { jti: 'cookie-value', uid: 'uid-value', accountId: 'a' },
      HOUR,
    );

    const rows = await db.selectFrom('oidc_payloads').selectAll().execute();
    const text = JSON.stringify(rows);
    // a grant id alone is no credential: the token's payload keeps it, the lookup column holds its hash
    for (const value of ['rt-value', 'cookie-value']) assert.ok(!text.includes(value), value);
    assert.deepEqual(rows.map((r) => r.id).sort(), [storedKey('cookie-value'), storedKey('rt-value')].sort());
    assert.equal(rows.find((r) => r.model === 'Session')?.uid, storedKey('uid-value'));
    assert.equal(rows.find((r) => r.model === 'RefreshToken')?.grant_id, storedKey('grant-value'));

    assert.deepEqual(await factory('RefreshToken').find('rt-value'), payload);
    // a uid lookup does not know the cookie value, so it cannot give it back
    assert.deepEqual(await factory('Session').findByUid('uid-value'), { uid: 'uid-value', accountId: 'a' });
    assert.equal(
      await factory('RefreshToken').find(storedKey('rt-value')),
      undefined,
      'the hash is not the token',
    );
  });

  test("an Interaction's resume URL and held session cookie are stored without their values and come back whole", async (t) => {
    const db = await freshDb(t);
    const interactions = createKyselyAdapter(db)('Interaction');
    const payload = {
      jti: 'int-value',
      returnTo: 'https://id.test/oauth/auth/int-value',
      session: { accountId: 'a', uid: 'uid-1', cookie: 'session-cookie-value' },
    };
    await interactions.upsert('int-value', payload, HOUR);

    const text = JSON.stringify(await db.selectFrom('oidc_payloads').selectAll().execute());
    assert.ok(!text.includes('int-value'));
    assert.ok(!text.includes('session-cookie-value'));
    assert.deepEqual(await interactions.find('int-value'), payload);
  });

  test('Client lookups go to findClient when given (the apps registry)', async (t) => {
    const db = await freshDb(t);
    const factory = createKyselyAdapter(db, {
      findClient: async (id) => (id === 'app-key' ? { client_id: 'app-key' } : undefined),
    });
    assert.deepEqual(await factory('Client').find('app-key'), { client_id: 'app-key' });
    assert.equal(await factory('Client').find('other'), undefined);
  });
});
