/**
 * Server-side sessions: stored in the database as a hash of the cookie token, so any
 * instance can serve any request and a copy of the table hands out nothing; expiry is enforced by
 * the server and expired rows are purged.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { createDb, type Db } from '../../../src/db/create-db.ts';
import { migrateToLatest } from '../../../src/db/migrate.ts';
import { fakeClock } from '../../../src/lib/clock.ts';
import { sha256 } from '../../../src/lib/crypto.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp, TEST_SECRETS } from '../../helpers/build-test-app.ts';
import { createTestDatabase } from '../../helpers/test-db.ts';

const HOUR = 3_600_000;

async function withAccount(t: Parameters<typeof buildTestApp>[0]) {
  const clock = fakeClock(Date.now());
  const built = await buildTestApp(t, { clock });
  const { services } = built.app;
  const account = await services.accounts.signUp({
    email: 'mina@example.com',
    password: 'correct horse battery',
    nickname: 'Mina',
  });
  return { ...built, clock, sessions: services.sessions, account };
}

describe('session service', () => {
  it('stores only the SHA-256 of the token and resolves the token to its account', async (t) => {
    const { db, sessions, account } = await withAccount(t);
    const { token, expiresAt } = await sessions.start({
      accountId: account.id,
      remember: false,
      ip: '10.0.0.1',
    });
    assert.ok(token.length >= 43, 'at least 256 bits of randomness');
    const row = await db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.id_hash, sha256(token));
    assert.notEqual(row.id_hash, token);
    assert.equal(row.expires_at, expiresAt);
    assert.equal(row.ip, '10.0.0.1');
    const live = await sessions.resolve(token);
    assert.equal(live?.account.id, account.id);
    assert.equal(live?.account.email, 'mina@example.com');
    assert.equal(await sessions.resolve(row.id_hash), undefined, 'the stored hash is not a token');
  });

  it('refuses an expired session and purges only expired rows', async (t) => {
    const { db, clock, sessions, account } = await withAccount(t);
    const short = await sessions.start({ accountId: account.id, remember: false });
    const long = await sessions.start({ accountId: account.id, remember: true });
    clock.advance(24 * HOUR);
    assert.equal(await sessions.resolve(short.token), undefined);
    assert.ok(await sessions.resolve(long.token));
    assert.equal(await sessions.purgeExpired(), 1);
    const rows = await db.selectFrom('sessions').select('id_hash').execute();
    assert.deepEqual(rows, [{ id_hash: sha256(long.token) }]);
  });

  it('writes last_seen_at at most once a minute', async (t) => {
    const { db, clock, sessions, account } = await withAccount(t);
    const { token } = await sessions.start({ accountId: account.id, remember: false });
    const started = clock.now();
    const lastSeen = async () =>
      (await db.selectFrom('sessions').select('last_seen_at').executeTakeFirstOrThrow()).last_seen_at;
    clock.advance(30_000);
    await sessions.resolve(token);
    assert.equal(await lastSeen(), started);
    clock.advance(31_000);
    await sessions.resolve(token);
    assert.equal(await lastSeen(), clock.now());
  });

  it('ends every session of an account at once', async (t) => {
    const { sessions, account } = await withAccount(t);
    const a = await sessions.start({ accountId: account.id, remember: false });
    const b = await sessions.start({ accountId: account.id, remember: true });
    await sessions.endAllForAccount(account.id);
    assert.equal(await sessions.resolve(a.token), undefined);
    assert.equal(await sessions.resolve(b.token), undefined);
  });
});

describe('sessions across instances', () => {
  it('a session started on one instance is served, and ended, by another', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-instances-'));
    // Both instances need the same database: a file for SQLite (an in-memory one is per connection).
    const testDb = await createTestDatabase({ sqliteFile: path.join(dir, 'yeon.db') });
    const config = { ...loadConfig({ YEON_ENV: 'test' }), database: testDb.config };
    const instances: Array<{ app: FastifyInstance; db: Db }> = [];
    for (let i = 0; i < 2; i++) {
      const db = createDb(config.database);
      await migrateToLatest(db);
      const app = await buildApp({ config, secrets: TEST_SECRETS, db, logger: false });
      await app.ready();
      instances.push({ app, db });
    }
    t.after(async () => {
      for (const { app, db } of instances) {
        await app.close();
        await db.destroy();
      }
      await testDb.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
    const browser = new Agent(a.app);
    await browser.signUp('mina@example.com');
    const cookie = `yeon_session=${browser.cookies.get('yeon_session')}`;
    const onB = await b.app.inject({ url: '/account', headers: { accept: 'text/html', cookie } });
    assert.equal(onB.statusCode, 200);
    assert.match(onB.body, /mina@example\.com/);

    await browser.get('/account');
    assert.equal((await browser.post('/logout', {})).statusCode, 303);
    const afterLogout = await b.app.inject({ url: '/account', headers: { accept: 'text/html', cookie } });
    assert.equal(afterLogout.statusCode, 303);
  });
});
