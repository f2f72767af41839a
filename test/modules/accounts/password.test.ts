/**
 * Password policy and hashing: argon2id m=19456 KiB, t=2, p=1; a cap on concurrent
 * hashes with a bounded FIFO queue, past which callers get server_busy (503), not a pile-up.
 */
import assert from 'node:assert/strict';
import { pbkdf2 } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config/load-config.ts';
import { AppError } from '../../../src/errors/catalogue.ts';
import {
  createLimiter,
  createPasswordHasher,
  PASSWORD_MAX,
  passwordIssues,
} from '../../../src/modules/accounts/password.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/build-test-app.ts';

const ARGON2_PREFIX = '$argon2id$v=19$m=19456,t=2,p=1$';

const isBusy = (err: unknown) => err instanceof AppError && err.code === 'server_busy' && err.status === 503;

/** A task that runs until released, recording how many run at once. */
function gate() {
  let active = 0;
  let maxActive = 0;
  const started: number[] = [];
  const releases: Array<() => void> = [];
  const task = (id: number) => async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    started.push(id);
    await new Promise<void>((resolve) => releases.push(resolve));
    active--;
    return id;
  };
  const releaseNext = async () => {
    // Let queued tasks reach their await before releasing the next one.
    for (let i = 0; i < 5 && releases.length === 0; i++) await new Promise((r) => setImmediate(r));
    releases.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { task, releaseNext, stats: () => ({ active, maxActive, started: [...started] }) };
}

describe('password policy', () => {
  it('needs 8 to 256 characters and refuses common passwords', () => {
    assert.equal(passwordIssues('seven77')[0]?.message, 'validation.password_too_short');
    assert.deepEqual(passwordIssues('eight8ch!'), []);
    assert.equal(passwordIssues('x'.repeat(PASSWORD_MAX + 1))[0]?.message, 'validation.password_too_long');
    for (const common of ['password1', 'qwerty123', 'iloveyou']) {
      assert.equal(passwordIssues(common)[0]?.message, 'validation.password_common', common);
    }
    assert.deepEqual(passwordIssues('correct horse battery'), []);
  });
});

describe('createPasswordHasher', () => {
  it('hashes with argon2id m=19456,t=2,p=1 and verifies', async () => {
    const hasher = createPasswordHasher(2);
    const hashed = await hasher.hash('correct horse battery');
    assert.ok(hashed.startsWith(ARGON2_PREFIX), hashed);
    assert.equal(await hasher.verify(hashed, 'correct horse battery'), true);
    assert.equal(await hasher.verify(hashed, 'correct horse batterY'), false);
    assert.equal(await hasher.verify('not-a-hash', 'anything'), false, 'a damaged hash never verifies');
  });

  it('stores exactly that hash for accounts made through the sign-up page', async (t) => {
    const { app, db } = await buildTestApp(t);
    await new Agent(app).signUp('mina@example.com', 'correct horse battery');
    const { password_hash } = await db
      .selectFrom('accounts')
      .select('password_hash')
      .executeTakeFirstOrThrow();
    assert.ok(password_hash.startsWith(ARGON2_PREFIX), password_hash);
  });

  it('with concurrency 1 and a queue of 1, refuses a third simultaneous hash as server_busy', async () => {
    const hasher = createPasswordHasher(1, 1);
    const results = await Promise.allSettled([
      hasher.hash('first pass'),
      hasher.hash('second pass'),
      hasher.hash('third pass'),
    ]);
    assert.equal(results[0]!.status, 'fulfilled');
    assert.equal(results[1]!.status, 'fulfilled', 'the second waited in the queue');
    assert.equal(results[2]!.status, 'rejected');
    assert.ok(isBusy((results[2] as PromiseRejectedResult).reason));
    // Once the burst is over, the hasher works again.
    assert.ok((await hasher.hash('fourth pass')).startsWith(ARGON2_PREFIX));
  });

  it("hashes on threads of its own: libuv's pool (fs, dns.lookup) stays free while four hashes run", async (t) => {
    // Four hashes would fill libuv's default pool of four threads if argon2 ran there; a cheap
    // task on that pool (one PBKDF2 round) would then finish only after the first hash.
    const hasher = createPasswordHasher(4);
    t.after(() => hasher.close());
    await hasher.hash('warm the threads');
    const order: string[] = [];
    const hashes = [1, 2, 3, 4].map((i) => hasher.hash(`pass number ${i}`).then(() => order.push('hash')));
    await new Promise((r) => setTimeout(r, 5));
    await new Promise<void>((resolve, reject) =>
      pbkdf2('x', 'salt', 1, 32, 'sha256', (err) => (err ? reject(err) : resolve())),
    );
    order.push('libuv task');
    await Promise.all(hashes);
    assert.equal(order[0], 'libuv task', order.join(', '));
  });

  it('closing waits for the hashes in hand instead of failing them', async () => {
    // An app closing while a login is mid-verify, or while the shared dummy hash is computed,
    // must not turn that hash into an error.
    const hasher = createPasswordHasher(1);
    await hasher.hash('start the thread');
    const inHand = hasher.hash('in hand at close');
    await new Promise((r) => setTimeout(r, 5));
    await hasher.close();
    assert.ok((await inHand).startsWith(ARGON2_PREFIX));
  });

  it('computes as many hashes at once as the process has cores, unless told otherwise', () => {
    assert.equal(loadConfig({}).passwordHashConcurrency, availableParallelism());
    assert.equal(loadConfig({ YEON_PASSWORD_HASH_CONCURRENCY: '3' }).passwordHashConcurrency, 3);
  });

  it('with concurrency 2 and no queue, lets exactly two hashes run at once', async () => {
    const hasher = createPasswordHasher(2, 0);
    const results = await Promise.allSettled([
      hasher.hash('a pass 1'),
      hasher.hash('a pass 2'),
      hasher.hash('a pass 3'),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected'],
    );
  });
});

describe('createLimiter', () => {
  it('runs at most `concurrency` tasks at once, in arrival order', async () => {
    const run = createLimiter(1, 10);
    const g = gate();
    const all = Promise.all([1, 2, 3, 4].map((id) => run(g.task(id))));
    for (let i = 0; i < 4; i++) {
      await g.releaseNext();
      assert.ok(g.stats().active <= 1);
    }
    assert.deepEqual(await all, [1, 2, 3, 4]);
    assert.equal(g.stats().maxActive, 1);
    assert.deepEqual(g.stats().started, [1, 2, 3, 4]);
  });

  it('refuses with server_busy when the queue is full, and frees the slot after a failure', async () => {
    const run = createLimiter(1, 1);
    const g = gate();
    const first = run(g.task(1));
    const second = run(g.task(2));
    await assert.rejects(run(g.task(3)), isBusy);
    await g.releaseNext();
    await g.releaseNext();
    assert.deepEqual(await Promise.all([first, second]), [1, 2]);

    await assert.rejects(
      run(async () => {
        throw new Error('task failed');
      }),
      /task failed/,
    );
    assert.equal(await run(async () => 'after failure'), 'after failure');
    assert.equal(g.stats().maxActive, 1);
  });
});
