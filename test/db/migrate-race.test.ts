/**
 * Several processes migrating one new database at once (`yeon serve` beside `yeon worker`, or
 * instances behind a load balancer starting together) all succeed and apply each step once.
 * Before SQLite batches ran under BEGIN IMMEDIATE (src/db/migrate.ts), one round in about 15
 * failed here with "UNIQUE constraint failed: yeon_migrations.name": a second process re-ran the
 * drop-then-create step 0800 before the first had recorded it. Two rounds of four processes make
 * that window likelier to be hit.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createDb } from '../../src/db/create-db.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

const run = promisify(execFile);
const yeon = path.resolve('bin/yeon');

const ROUNDS = 2;
const PROCESSES = 4;

describe('yeon migrate, four processes at once', () => {
  for (let round = 1; round <= ROUNDS; round++)
    it(`round ${round}: succeeds in every process and records each migration once`, async (t) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-migrate-race-'));
      const testDb = await createTestDatabase({ sqliteFile: path.join(dir, 'race.db') });
      t.after(() => testDb.drop());
      t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
      const env = { ...process.env, ...testDb.env, YEON_DATA_DIR: dir, YEON_LOG_LEVEL: 'silent' };
      const results = await Promise.all(
        Array.from({ length: PROCESSES }, () =>
          run(process.execPath, [yeon, 'migrate'], { env, timeout: 120_000 }),
        ),
      );
      for (const r of results) assert.match(r.stdout, /database is up to date/);
      const db = createDb(testDb.config);
      t.after(() => db.destroy());
      const rows = await db
        .selectFrom('yeon_migrations' as never)
        .select('name' as never)
        .execute();
      assert.deepEqual(rows.map((r) => (r as { name: string }).name).sort(), Object.keys(migrations).sort());
    });
});
