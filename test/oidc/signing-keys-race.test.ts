/**
 * Instances starting together on a new database agree on one signing key. Each instance reads
 * its JWKS once at start, so a key made by one and not the others would sign ID tokens that its
 * peers never publish. Before ensureSigningKey took withWriteLock, four `yeon keys list` at once
 * made up to four active keys, on SQLite and PostgreSQL alike. Rotations racing each other leave
 * one active key too.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

const run = promisify(execFile);
const yeon = path.resolve('bin/yeon');
const PROCESSES = 4;

/** A migrated, keyless database in a file (SQLite) or its own database (PostgreSQL). */
async function keylessDatabase(t: TestContext) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-keys-race-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const testDb = await createTestDatabase({ sqliteFile: path.join(dir, 'keys.db') });
  t.after(() => testDb.drop());
  const db = createDb(testDb.config);
  t.after(() => db.destroy());
  await migrateToLatest(db);
  const env = { ...process.env, ...testDb.env, YEON_DATA_DIR: dir, YEON_LOG_LEVEL: 'silent' };
  const yeonAll = (args: string[]) =>
    Promise.all(
      Array.from({ length: PROCESSES }, () =>
        run(process.execPath, [yeon, ...args], { env, timeout: 120_000 }).then((r) => r.stdout),
      ),
    );
  const activeKids = async () =>
    (await db.selectFrom('oidc_signing_keys').select('kid').where('retired_at', 'is', null).execute()).map(
      (r) => r.kid,
    );
  return { db, yeonAll, activeKids };
}

describe('signing keys, several processes at once', () => {
  it('four first starts make one key, and every process sees that one', async (t) => {
    const { db, yeonAll, activeKids } = await keylessDatabase(t);
    const outputs = await yeonAll(['keys', 'list', '--json']);
    const active = await activeKids();
    assert.equal(active.length, 1, `one active key, not ${active.length}`);
    assert.equal((await db.selectFrom('oidc_signing_keys').select('kid').execute()).length, 1);
    for (const out of outputs) {
      const seen = (JSON.parse(out) as { kid: string; status: string }[]).map((k) => [k.kid, k.status]);
      assert.deepEqual(seen, [[active[0], 'active']]);
    }
  });

  it('four rotations at once leave exactly one active key, the newest', async (t) => {
    const { db, yeonAll, activeKids } = await keylessDatabase(t);
    await yeonAll(['keys', 'list', '--json']);
    const fresh = (await yeonAll(['keys', 'rotate', '--json'])).map(
      (o) => (JSON.parse(o) as { kid: string }).kid,
    );
    assert.equal(new Set(fresh).size, PROCESSES, 'each rotation made its own key');
    const active = await activeKids();
    assert.equal(active.length, 1, `one active key, not ${active.length}`);
    const newest = await db
      .selectFrom('oidc_signing_keys')
      .select('kid')
      .orderBy('created_at', 'desc')
      .orderBy('kid')
      .executeTakeFirstOrThrow();
    assert.equal(active[0], newest.kid);
    assert.ok(fresh.includes(active[0]!));
  });
});
