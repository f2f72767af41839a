/**
 * The developer-tokens service on a real database: the last use is recorded, but at most once a
 * minute per token (a busy script costs one write a minute, not one per request); a revoked token
 * no longer authenticates and leaves the list; an account cannot revoke another account's token,
 * and an id of any other shape (a NUL byte included) is simply not found, on both databases. An
 * account holds at most MAX_LIVE_TOKENS live tokens; revoking one makes room.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeClock } from '../../src/lib/clock.ts';
import {
  MAX_LIVE_TOKENS,
  TOKEN_NAME_MAX,
} from '../../src/modules/developer-tokens/developer-tokens.service.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { signedIn } from '../http/console-helpers.ts';

const MINUTE = 60_000;

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const clock = fakeClock(Date.UTC(2026, 11, 6, 9, 0));
  const { app } = await buildTestApp(t, { clock });
  const mina = await signedIn(app, 'mina@example.com');
  const jun = await signedIn(app, 'jun@example.com');
  return { app, clock, tokens: app.services.developerTokens, mina, jun };
}

describe('developer tokens service', () => {
  it('records the last use at most once a minute per token', async (t) => {
    const { clock, tokens, mina } = await setup(t);
    const start = clock.now();
    const made = await tokens.createToken(mina.accountId, 'Deploy script');
    const lastUsed = async () => (await tokens.listTokens(mina.accountId))[0]!.last_used_at;
    assert.equal(await lastUsed(), null);

    assert.deepEqual(await tokens.authenticate(made.token), { accountId: mina.accountId, tokenId: made.id });
    assert.equal(await lastUsed(), start);

    clock.advance(MINUTE - 1);
    await tokens.authenticate(made.token);
    assert.equal(await lastUsed(), start, 'a use within the minute writes nothing');

    clock.advance(1);
    await tokens.authenticate(made.token);
    assert.equal(await lastUsed(), start + MINUTE);
  });

  it('several uses at the same moment record one last use and all succeed', async (t) => {
    const { clock, tokens, mina } = await setup(t);
    const made = await tokens.createToken(mina.accountId, 'Busy');
    const results = await Promise.all(Array.from({ length: 5 }, () => tokens.authenticate(made.token)));
    assert.ok(results.every((r) => r?.tokenId === made.id));
    assert.equal((await tokens.listTokens(mina.accountId))[0]!.last_used_at, clock.now());
  });

  it('a revoked token no longer authenticates and leaves the list', async (t) => {
    const { tokens, mina } = await setup(t);
    const kept = await tokens.createToken(mina.accountId, 'Kept');
    const gone = await tokens.createToken(mina.accountId, 'Gone');
    assert.equal(await tokens.revokeToken(mina.accountId, gone.id), true);
    assert.equal(await tokens.authenticate(gone.token), undefined);
    assert.equal(await tokens.revokeToken(mina.accountId, gone.id), false, 'revoking twice finds nothing');
    assert.deepEqual(
      (await tokens.listTokens(mina.accountId)).map((x) => x.name),
      ['Kept'],
    );
    assert.equal((await tokens.authenticate(kept.token))?.tokenId, kept.id);
  });

  it("an account cannot revoke another account's token, which keeps working", async (t) => {
    const { tokens, mina, jun } = await setup(t);
    const minas = await tokens.createToken(mina.accountId, 'Mine');
    assert.equal(await tokens.revokeToken(jun.accountId, minas.id), false);
    // Ids no token has, including a NUL byte (which PostgreSQL refuses in a text parameter).
    for (const id of ['\u0000', `${minas.id}\u0000`, '', 'dt_', "dt_x' OR '1'='1"]) {
      assert.equal(await tokens.revokeToken(mina.accountId, id), false, JSON.stringify(id));
    }
    assert.equal((await tokens.authenticate(minas.token))?.accountId, mina.accountId);
    assert.deepEqual(await tokens.listTokens(jun.accountId), []);
  });

  it(`refuses a token beyond ${MAX_LIVE_TOKENS} live ones, until one is revoked`, async (t) => {
    const { tokens, mina, jun } = await setup(t);
    const made = [];
    for (let i = 0; i < MAX_LIVE_TOKENS; i++) made.push(await tokens.createToken(mina.accountId, `t${i}`));
    await assert.rejects(
      tokens.createToken(mina.accountId, 'one more'),
      (err: { code?: string; issues?: unknown }) => {
        assert.equal(err.code, 'validation_failed');
        assert.deepEqual(err.issues, [
          { field: 'name', message: 'tokens.too_many', params: { max: MAX_LIVE_TOKENS } },
        ]);
        return true;
      },
    );
    assert.equal((await tokens.listTokens(mina.accountId)).length, MAX_LIVE_TOKENS);
    assert.ok(await tokens.createToken(jun.accountId, 'another account is not counted'));
    await tokens.revokeToken(mina.accountId, made[0]!.id);
    assert.equal((await tokens.createToken(mina.accountId, 'room again')).name, 'room again');
  });

  it(`refuses a name longer than ${TOKEN_NAME_MAX} characters and creates nothing`, async (t) => {
    const { tokens, mina } = await setup(t);
    await assert.rejects(tokens.createToken(mina.accountId, 'x'.repeat(TOKEN_NAME_MAX + 1)), {
      code: 'validation_failed',
    });
    assert.deepEqual(await tokens.listTokens(mina.accountId), []);
  });
});
