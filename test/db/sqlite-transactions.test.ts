/**
 * SQLite transactions from two processes on one file (`yeon serve` beside `yeon worker`, or a CLI
 * command while the server runs) wait for each other instead of failing: createDb begins every
 * transaction with BEGIN IMMEDIATE. With Kysely's deferred BEGIN, two processes each running
 * 1,000 read-then-write transactions lost a few percent to "database is locked" and the counter
 * came out short.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { createDb } from '../../src/db/create-db.ts';

const run = promisify(execFile);
const child = path.resolve('test/db/fixtures/read-then-write.ts');
const ROUNDS = 1000;

describe('SQLite transactions across processes', () => {
  it('two processes of read-then-write transactions: none fails, no update is lost', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-sqlite-tx-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'tx.db');
    const db = createDb({ kind: 'sqlite', file });
    t.after(() => db.destroy());
    await sql`create table counter (id integer primary key, v integer not null)`.execute(db);
    await sql`insert into counter values (1, 0)`.execute(db);

    // Both loops start together, whatever each child's start-up took.
    const startAt = String(Date.now() + 5_000);
    const outputs = await Promise.all(
      [1, 2].map(() =>
        run(process.execPath, ['--import', 'tsx', child, file, String(ROUNDS), startAt], {
          timeout: 120_000,
        }),
      ),
    );
    for (const { stdout } of outputs) {
      const { failed, first } = JSON.parse(stdout) as { failed: number; first: string };
      assert.equal(failed, 0, `${failed} transactions failed, the first with: ${first}`);
    }
    const { rows } = await sql<{ v: number }>`select v from counter where id = 1`.execute(db);
    assert.equal(rows[0]!.v, 2 * ROUNDS);
  });
});
