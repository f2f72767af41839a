/**
 * `yeon migrate` and `yeon user create` as real processes on the lane's database;
 * an account made on the command line can log in through the pages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import { Agent } from '../helpers/agent.ts';
import { TEST_SECRETS } from '../helpers/build-test-app.ts';
import type { TestDatabase } from '../helpers/test-db.ts';
import { laneEnv, run } from './cli-process.ts';

/** The app in this process, on the database the child processes used. */
async function appOn(lane: { testDb: TestDatabase; beforeDrop(fn: () => Promise<void>): void }) {
  const { testDb } = lane;
  const config = { ...loadConfig({ YEON_ENV: 'test' }), database: testDb.config };
  const db = createDb(config.database);
  const app = await buildApp({ config, secrets: TEST_SECRETS, db, logger: false });
  lane.beforeDrop(async () => {
    await app.close();
    await db.destroy();
  });
  return { app, db };
}

describe('yeon migrate', () => {
  it('applies every migration once, then reports nothing to apply', async (t) => {
    const { env } = await laneEnv(t);
    const first = await run(['migrate'], env);
    assert.equal(first.code, 0, first.stderr);
    for (const name of Object.keys(migrations)) assert.match(first.stdout, new RegExp(`applied ${name}\\n`));
    assert.match(first.stdout, /database is up to date/);

    const second = await run(['migrate'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stdout, /applied/);
    assert.match(second.stdout, /nothing to apply/);
  });
});

describe('yeon user create', { concurrency: true }, () => {
  it('creates an account, prints it as JSON, and the account can log in through the pages', async (t) => {
    const lane = await laneEnv(t);
    const { env } = lane;
    const res = await run(
      [
        'user',
        'create',
        '--email',
        'Admin@Example.com',
        '--password',
        'a long admin passphrase',
        '--nickname',
        'Admin',
        '--json',
      ],
      env,
    );
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout.trim());
    assert.match(out.id, /^acc_/);
    assert.equal(out.email, 'Admin@Example.com');
    assert.equal(out.nickname, 'Admin');

    const { app, db } = await appOn(lane);
    const row = await db.selectFrom('accounts').select(['id', 'email_normalized']).executeTakeFirstOrThrow();
    assert.deepEqual(row, { id: out.id, email_normalized: 'admin@example.com' });
    const agent = new Agent(app);
    const login = await agent.login('admin@example.com', 'a long admin passphrase');
    assert.equal(login.statusCode, 303);
    assert.equal(login.headers.location, '/account');
    const page = await agent.get('/account');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Admin@Example\.com/);
  });

  it('prints a readable line without --json and defaults the nickname to the email name', async (t) => {
    const lane = await laneEnv(t);
    const { env } = lane;
    const res = await run(
      ['user', 'create', '--email', 'jun@example.com', '--password', 'another good passphrase'],
      env,
    );
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^created account acc_\w+ <jun@example\.com>\n$/);
    const { db } = await appOn(lane);
    assert.equal(
      (await db.selectFrom('accounts').select('nickname').executeTakeFirstOrThrow()).nickname,
      'jun',
    );
  });

  it('refuses a duplicate email (any case) with a clear error and a non-zero exit', async (t) => {
    const lane = await laneEnv(t);
    const { env } = lane;
    const args = ['user', 'create', '--password', 'a long admin passphrase', '--json', '--email'];
    assert.equal((await run([...args, 'admin@example.com'], env)).code, 0);
    const dup = await run([...args, 'ADMIN@example.com'], env);
    assert.notEqual(dup.code, 0);
    assert.equal(dup.stdout, '');
    assert.match(dup.stderr, /An account with this email already exists\. \[email_taken\]/);
    assert.doesNotMatch(dup.stderr, /\n\s+at /, 'no stack trace');
    const { db } = await appOn(lane);
    assert.equal((await db.selectFrom('accounts').select('id').execute()).length, 1);
  });

  it('refuses a weak password and a missing option with messages naming them', async (t) => {
    const { env } = await laneEnv(t);
    const weak = await run(['user', 'create', '--email', 'x@example.com', '--password', 'password1'], env);
    assert.notEqual(weak.code, 0);
    assert.match(weak.stderr, /password: This password is too common/);
    const missing = await run(['user', 'create', '--email', 'x@example.com'], env);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /--password/);
  });
});
