/**
 * The SQLite connection createDb opens (src/db/create-db.ts): WAL with synchronous NORMAL, foreign
 * keys on, a busy timeout for the other processes on the same file (yeon worker, the CLI), and a
 * checkpoint every WAL_CHECKPOINT_PAGES pages instead of SQLite's 1,000.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { createDb, WAL_CHECKPOINT_PAGES } from '../../src/db/create-db.ts';

async function pragma(db: ReturnType<typeof createDb>, name: string): Promise<unknown> {
  const { rows } = await sql.raw<Record<string, unknown>>(`PRAGMA ${name}`).execute(db);
  return Object.values(rows[0] ?? {})[0];
}

describe('SQLite connection settings', () => {
  it('WAL, synchronous NORMAL, foreign keys, busy timeout, and the longer checkpoint interval', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-pragmas-'));
    const db = createDb({ kind: 'sqlite', file: path.join(dir, 'p.db') });
    t.after(() => db.destroy());
    assert.equal(await pragma(db, 'journal_mode'), 'wal');
    assert.equal(await pragma(db, 'synchronous'), 1); // NORMAL
    assert.equal(await pragma(db, 'foreign_keys'), 1);
    assert.equal(await pragma(db, 'busy_timeout'), 5000);
    assert.equal(WAL_CHECKPOINT_PAGES, 4000);
    assert.equal(await pragma(db, 'wal_autocheckpoint'), WAL_CHECKPOINT_PAGES);
    assert.equal(await pragma(db, 'journal_size_limit'), WAL_CHECKPOINT_PAGES * 4096);
  });
});
