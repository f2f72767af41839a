/**
 * The developer-tokens service on a real database: the last use is recorded, but at most once a
 * minute per token (a busy script costs one write a minute, not one per request); a revoked token
 * no longer authenticates and leaves the list; an account cannot revoke another account's token,
 * and an id of any other shape (a NUL byte included) is simply not found, on both databases. An
 * account holds at most MAX_LIVE_TOKENS live tokens; revoking one makes room. A token lives 30, 90
 * (the default) or 365 days, or until revoked; any other lifetime is refused and makes nothing. From
 * the moment it expires it no longer authenticates, stays listed as expired, and leaves room.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeClock } from '../../src/lib/clock.ts';
import {
  DEFAULT_TOKEN_LIFETIME,
  MAX_LIVE_TOKENS,
  TOKEN_NAME_MAX,
} from '../../src/modules/developer-tokens/developer-tokens.service.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { signedIn } from '../http/console-helpers.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

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

  it('creates a token expiring in 30, 90 or 365 days, or never, and 90 days when none is chosen', async (t) => {
    const { clock, tokens, mina } = await setup(t);
    const now = clock.now();
    assert.equal(DEFAULT_TOKEN_LIFETIME, 90);
    for (const [days, expected] of [
      [30, now + 30 * DAY],
      [90, now + 90 * DAY],
      [365, now + 365 * DAY],
      [null, null],
      [undefined, now + 90 * DAY],
    ] as const) {
      const made = await tokens.createToken(mina.accountId, `lifetime ${days}`, days);
      assert.equal(made.expires_at, expected, `expires_in_days ${days}`);
      assert.equal(made.expired, false);
      const listed = (await tokens.listTokens(mina.accountId)).find((x) => x.id === made.id);
      assert.equal(listed?.expires_at, expected, 'read back as a number on both databases');
    }
  });

  it('refuses any other lifetime with an issue on expires_in_days, and creates nothing', async (t) => {
    const { tokens, mina } = await setup(t);
    for (const bad of [
      0,
      1,
      45,
      -30,
      30.5,
      366,
      '30',
      '30d',
      'never',
      '',
      false,
      true,
      {},
      [30],
      Number.NaN,
    ]) {
      await assert.rejects(
        tokens.createToken(mina.accountId, 'bad', bad),
        (err: { code?: string; issues?: unknown }) => {
          assert.equal(err.code, 'validation_failed');
          assert.deepEqual(err.issues, [{ field: 'expires_in_days', message: 'tokens.expiry_invalid' }]);
          return true;
        },
        JSON.stringify(bad),
      );
    }
    assert.deepEqual(await tokens.listTokens(mina.accountId), []);
  });

  it('an expired token no longer authenticates, stays listed as expired, and leaves room for another', async (t) => {
    const { clock, tokens, mina } = await setup(t);
    const short = await tokens.createToken(mina.accountId, 'Short', 30);
    clock.advance(1);
    const forever = await tokens.createToken(mina.accountId, 'Forever', null);

    clock.set(short.expires_at! - 1);
    assert.equal((await tokens.authenticate(short.token))?.tokenId, short.id, 'works until the last ms');
    clock.set(short.expires_at!);
    assert.equal(await tokens.authenticate(short.token), undefined, 'refused from the moment it expires');
    assert.equal((await tokens.authenticate(forever.token))?.tokenId, forever.id);
    const listed = await tokens.listTokens(mina.accountId);
    assert.deepEqual(
      listed.map((x) => [x.name, x.expired]),
      [
        ['Forever', false],
        ['Short', true],
      ],
    );

    // Expired tokens do not count against the cap: the account can make MAX_LIVE_TOKENS - 1 more.
    for (let i = 1; i < MAX_LIVE_TOKENS; i++) await tokens.createToken(mina.accountId, `t${i}`);
    await assert.rejects(tokens.createToken(mina.accountId, 'one more'), { code: 'validation_failed' });

    // Revoking an expired token takes it off the list.
    assert.equal(await tokens.revokeToken(mina.accountId, short.id), true);
    assert.ok(!(await tokens.listTokens(mina.accountId)).some((x) => x.id === short.id));
  });
});
