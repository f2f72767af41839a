/**
 * GET /v1/user/ids as Kakao documents it (Kakao REST API "Retrieve user list"): `from_id` is
 * inclusive, `order` asc|desc (and `dsc`), `limit` 1–100; before_url/after_url, followed from a
 * first page, visit every linked id exactly once in either order. At most 100 calls per minute per
 * app, then HTTP 429 with -10 (RFC 6585 §4), counted in the database so that every yeon instance on
 * it shares the count.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { fakeClock } from '../../src/lib/clock.ts';
import { newId } from '../../src/lib/ids.ts';
import { insertAccount } from '../../src/modules/accounts/accounts.repo.ts';
import { buildTestApp, TEST_SECRETS } from '../helpers/build-test-app.ts';
import { createTestDatabase } from '../helpers/test-db.ts';
import { createKakaoApp, type KakaoApp, link } from './helpers.ts';

/** A minute boundary plus 30 s: the first quota window has 30 s left. */
const START = Date.UTC(2026, 5, 1, 12, 0, 30);

/** `n` people linked to `client`, written directly (no password hashing: nobody logs in). */
async function linkPeople(app: FastifyInstance, client: KakaoApp, n: number): Promise<number[]> {
  const ids: number[] = [];
  const now = app.services.clock.now();
  for (let i = 0; i < n; i++) {
    const id = newId('acc_');
    const email = `ids-${id}@example.com`;
    await insertAccount(app.db, {
      id,
      email,
      email_normalized: email,
      password_hash: 'not-a-hash',
      nickname: `Person ${i}`,
      created_at: now,
      updated_at: now,
    });
    ids.push((await link(app, id, client, ['profile_nickname'])).appUserId);
  }
  return ids;
}

function ids(app: FastifyInstance, adminKey: string, url: string) {
  return app.inject({ method: 'GET', url, headers: { authorization: `KakaoAK ${adminKey}` } });
}

/** Follows `link` from `first` until it is null; every page answers 200 with Kakao's three keys. */
async function walk(
  app: FastifyInstance,
  adminKey: string,
  issuer: string,
  first: string,
  link: 'after_url' | 'before_url',
): Promise<number[][]> {
  const pages: number[][] = [];
  let url: string | null = first;
  for (let hop = 0; url !== null; hop++) {
    assert.ok(hop < 100, 'the links do not end');
    const res = await ids(app, adminKey, url);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['elements', 'before_url', 'after_url']);
    pages.push(body.elements);
    const next = body[link] as string | null;
    if (next !== null) assert.ok(next.startsWith(`${issuer}/v1/user/ids?`), next);
    url = next === null ? null : next.slice(issuer.length);
  }
  return pages;
}

describe('GET /v1/user/ids paging', () => {
  test('250 users, limit 100 and 7: after_url and before_url visit every id once, in both orders', async (t) => {
    const clock = fakeClock(START);
    const { app, config } = await buildTestApp(t, { clock });
    const client = await createKakaoApp(app);
    const linked = await linkPeople(app, client, 253);
    // unlinked users leave holes in the id space that paging must step over
    const unlinked = new Set(linked.slice(0, 3));
    for (const appUserId of unlinked) {
      const row = await app.db
        .selectFrom('connections')
        .select('account_id')
        .where('app_user_id', '=', appUserId)
        .executeTakeFirstOrThrow();
      await app.services.connections.unlink({ accountId: row.account_id, appId: client.app_id, by: 'app' });
    }
    const asc = linked.filter((id) => !unlinked.has(id)).sort((a, b) => a - b);
    const desc = [...asc].reverse();
    assert.equal(asc.length, 250);
    const key = client.admin_key;
    const sizes = (pages: number[][]) => pages.map((p) => p.length);

    for (const limit of [100, 7]) {
      const pageCount = Math.ceil(250 / limit);
      // each walk gets a fresh quota window: a walk of 36 pages is well under the limit
      clock.advance(60_000);
      const forward = await walk(app, key, config.issuer, `/v1/user/ids?limit=${limit}`, 'after_url');
      assert.deepEqual(forward.flat(), asc, `asc, limit ${limit}`);
      assert.equal(forward.length, pageCount);
      assert.ok(
        sizes(forward)
          .slice(0, -1)
          .every((n) => n === limit),
      );

      clock.advance(60_000);
      for (const order of ['desc', 'dsc']) {
        const back = await walk(
          app,
          key,
          config.issuer,
          `/v1/user/ids?limit=${limit}&order=${order}`,
          'before_url',
        );
        assert.deepEqual(back.flat(), desc, `${order}, limit ${limit}`);
        assert.equal(back.length, pageCount);
      }

      // Turning round on the last page: its before_url lists every earlier id once, and the
      // smallest page's after_url every later one.
      clock.advance(60_000);
      const last = forward.at(-1)!;
      const lastRes = (await ids(app, key, `/v1/user/ids?limit=${limit}&from_id=${last[0]}`)).json();
      assert.deepEqual(lastRes.elements, last);
      assert.equal(lastRes.after_url, null);
      const before = await walk(
        app,
        key,
        config.issuer,
        lastRes.before_url.slice(config.issuer.length),
        'before_url',
      );
      assert.deepEqual([...last].reverse().concat(before.flat()), desc);

      clock.advance(60_000);
      const smallest = (
        await ids(app, key, `/v1/user/ids?limit=${limit}&order=desc&from_id=${asc[limit - 1]}`)
      ).json();
      assert.deepEqual(smallest.elements, desc.slice(-limit));
      assert.equal(smallest.before_url, null);
      const after = await walk(
        app,
        key,
        config.issuer,
        smallest.after_url.slice(config.issuer.length),
        'after_url',
      );
      assert.deepEqual([...smallest.elements].reverse().concat(after.flat()), asc);
    }

    // from_id is inclusive in both orders, also for an id that is not linked (the next one in order)
    clock.advance(60_000);
    const at = (await ids(app, key, `/v1/user/ids?limit=3&from_id=${asc[10]}`)).json();
    assert.deepEqual(at.elements, asc.slice(10, 13));
    const atDesc = (await ids(app, key, `/v1/user/ids?limit=3&order=desc&from_id=${asc[10]}`)).json();
    assert.deepEqual(atDesc.elements, [asc[10], asc[9], asc[8]]);
    const between = (await ids(app, key, `/v1/user/ids?limit=1&from_id=${asc[10]! + 1}`)).json();
    assert.deepEqual(between.elements, [asc[11]]);
  });
});

/** Two yeon instances (two apps, two connection pools) on one database, as in production. */
async function twoInstances(t: TestContext, clock: ReturnType<typeof fakeClock>) {
  const dir = mkdtempSync(join(tmpdir(), 'yeon-quota-'));
  const testDb = await createTestDatabase({ sqliteFile: join(dir, 'yeon.db') });
  const config = {
    ...loadConfig({ YEON_ENV: 'test', YEON_LOG_LEVEL: 'silent' }),
    database: testDb.config,
  };
  const dbs = [createDb(config.database), createDb(config.database)];
  await migrateToLatest(dbs[0]!);
  const apps: FastifyInstance[] = [];
  t.after(async () => {
    for (const app of apps) await app.close();
    for (const db of dbs) await db.destroy();
    await testDb.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  for (const db of dbs) {
    const app = await buildApp({ config, secrets: TEST_SECRETS, db, clock, logger: false });
    await app.ready();
    apps.push(app);
  }
  return apps as [FastifyInstance, FastifyInstance];
}

describe('GET /v1/user/ids rate limit', () => {
  test('100 calls per minute per app across instances; the 101st is 429 {msg, code: -10}', async (t) => {
    const clock = fakeClock(START);
    const [a, b] = await twoInstances(t, clock);
    const client = await createKakaoApp(a);
    const other = await createKakaoApp(a);
    const call = (app: FastifyInstance, key = client.admin_key) => ids(app, key, '/v1/user/ids');

    for (let i = 0; i < 60; i++) assert.equal((await call(a)).statusCode, 200);
    for (let i = 0; i < 40; i++) assert.equal((await call(b)).statusCode, 200);
    for (const app of [a, b]) {
      const res = await call(app);
      assert.equal(res.statusCode, 429);
      assert.deepEqual(res.json(), { msg: 'API limit has been exceeded.', code: -10 });
      // RFC 6585 §4: when to try again, here the end of the minute
      assert.equal(res.headers['retry-after'], '30');
    }
    // refused calls with bad parameters count too, and are still refused with -10 first
    assert.equal((await ids(a, client.admin_key, '/v1/user/ids?limit=0')).json().code, -10);
    // per app: another app of the same developer is not limited
    assert.equal((await call(b, other.admin_key)).statusCode, 200);
    // a wrong key is -401, not a counted call
    assert.equal((await call(a, 'not-a-key')).json().code, -401);

    // the next minute starts from zero
    clock.advance(30_000);
    assert.equal((await call(a)).statusCode, 200);
    // concurrent calls on both instances: exactly the limit gets through
    clock.advance(60_000);
    const burst = await Promise.all(Array.from({ length: 130 }, (_, i) => call(i % 2 ? a : b)));
    const statuses = burst.map((r) => r.statusCode);
    assert.equal(statuses.filter((s) => s === 200).length, 100);
    assert.equal(statuses.filter((s) => s === 429).length, 30);
    // only the current window's row is kept
    const windows = await a.db
      .selectFrom('api_quota_windows')
      .select('window_start')
      .where('app_id', '=', client.app_id)
      .execute();
    assert.deepEqual(
      windows.map((w) => Number(w.window_start)),
      [START - 30_000 + 120_000],
    );
  });
});
