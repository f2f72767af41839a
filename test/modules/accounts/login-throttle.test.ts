/**
 * Login throttle bookkeeping with the write a success costs: a
 * successful login with no failures on record writes no throttle row; one after failures from the
 * same address clears that address's count and leaves the address and account counts alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../../src/errors/catalogue.ts';
import { fakeClock } from '../../../src/lib/clock.ts';
import { buildTestApp } from '../../helpers/build-test-app.ts';
import { recordStatements } from '../../helpers/statement-budget.ts';

const EMAIL = 'mina@example.com';
const PASSWORD = 'correct horse battery';

async function setUp(t: Parameters<typeof buildTestApp>[0]) {
  const { app, db } = await buildTestApp(t, {
    clock: fakeClock(Date.now()),
    env: { YEON_LOGIN_MAX_FAILURES: '3' },
  });
  await app.services.accounts.signUp({ email: EMAIL, password: PASSWORD, nickname: 'Mina' });
  const keys = async () =>
    (await db.selectFrom('login_throttle').select('key').orderBy('key').execute()).map((r) => r.key);
  const login = (password: string, ip = '10.0.0.1') =>
    app.services.accounts.authenticate({ email: EMAIL, password, ip }).then(
      () => 'ok',
      (err: { code?: string }) => err.code,
    );
  return { app, keys, login };
}

describe('login throttle bookkeeping', () => {
  it('runs the same statement texts at every login, whatever the time, so each is prepared once', async (t) => {
    const recorder = recordStatements(t);
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock, env: { YEON_LOGIN_MAX_FAILURES: '3' } });
    await app.services.accounts.signUp({ email: EMAIL, password: PASSWORD, nickname: 'Mina' });
    const failedLogin = () =>
      recorder.during(() =>
        app.services.accounts
          .authenticate({ email: EMAIL, password: 'wrong password', ip: '10.0.0.1' })
          .catch(() => undefined),
      );
    const first = await failedLogin();
    clock.advance(1234);
    const second = await failedLogin();
    const throttle = (sqls: string[]) => sqls.filter((s) => s.includes('login_throttle'));
    assert.ok(throttle(first.statements).length > 0);
    assert.deepEqual(throttle(second.statements), throttle(first.statements));
  });

  it('a success with no failures on record costs one statement per key to count and one to take back', async (t) => {
    const recorder = recordStatements(t);
    const { app, db } = await buildTestApp(t, { clock: fakeClock(Date.now()) });
    await app.services.accounts.signUp({ email: EMAIL, password: PASSWORD, nickname: 'Mina' });
    const { statements } = await recorder.during(() =>
      app.services.accounts.authenticate({ email: EMAIL, password: PASSWORD, ip: '10.0.0.1' }),
    );
    const throttle = statements.filter((s) => s.includes('login_throttle'));
    // three upserts (pair, address, account), then three deletes: nothing is left to lower
    assert.equal(throttle.length, 6, throttle.join('\n'));
    assert.equal((await db.selectFrom('login_throttle').selectAll().execute()).length, 0);
  });

  it('leaves nothing behind for a success with no failures on record', async (t) => {
    const { keys, login } = await setUp(t);
    assert.equal(await login(PASSWORD), 'ok');
    assert.deepEqual(await keys(), []);
  });

  it("a success clears only its own address's count for the account", async (t) => {
    const { keys, login } = await setUp(t);
    assert.equal(await login('wrong password'), 'invalid_credentials');
    assert.equal(await login('wrong password', '10.0.0.2'), 'invalid_credentials');
    assert.deepEqual(await keys(), [
      `acct:${EMAIL}`,
      'ip:10.0.0.1',
      'ip:10.0.0.2',
      `pair:${EMAIL}|10.0.0.1`,
      `pair:${EMAIL}|10.0.0.2`,
    ]);
    assert.equal(await login(PASSWORD), 'ok');
    assert.deepEqual(await keys(), [`acct:${EMAIL}`, 'ip:10.0.0.1', 'ip:10.0.0.2', `pair:${EMAIL}|10.0.0.2`]);
  });

  it('takes back an attempt whose check never ran because the server was busy', async (t) => {
    const { app, keys } = await setUp(t);
    const { throttle } = app.services;
    const busy = () => Promise.reject(new AppError('server_busy'));
    for (let i = 0; i < 5; i++) {
      const attempt = await throttle.begin(EMAIL, '10.0.0.1', false);
      await assert.rejects(throttle.verifyCounted(attempt, busy), { code: 'server_busy' });
    }
    // Five refusals under a limit of three, and nothing counted: no lockout from an overload.
    assert.deepEqual(await keys(), []);
    const attempt = await throttle.begin(EMAIL, '10.0.0.1', false);
    await assert.rejects(
      throttle.verifyCounted(attempt, () => Promise.reject(new AppError('invalid_credentials'))),
    );
    assert.equal((await keys()).length, 3, 'a check that ran and failed stays counted');
  });
});
