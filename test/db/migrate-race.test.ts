/**
 * Several processes migrating one new database at once (`yeon serve` beside `yeon worker`, or
 * instances behind a load balancer starting together) all succeed and apply each step once.
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

describe('yeon migrate, three processes at once', () => {
  it('succeeds in every process and records each migration once', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-migrate-race-'));
    const testDb = await createTestDatabase({ sqliteFile: path.join(dir, 'race.db') });
    t.after(() => testDb.drop());
    const env = { ...process.env, ...testDb.env, YEON_DATA_DIR: dir, YEON_LOG_LEVEL: 'silent' };
    const results = await Promise.all(
      [1, 2, 3].map(() => run(process.execPath, [yeon, 'migrate'], { env, timeout: 120_000 })),
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
