/**
 * The SQLite statement cache (src/db/sqlite-statement-cache.ts): a SQL text is
 * compiled once and its statement reused, a statement mid-iteration is never handed out twice, the
 * cache stays bounded, and a statement prepared before a schema change sees the new schema.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { createDb } from '../../src/db/create-db.ts';
import { withStatementCache } from '../../src/db/sqlite-statement-cache.ts';

describe('SQLite statement cache', () => {
  let raw: SqliteDatabase.Database;
  beforeEach(() => {
    raw = new SqliteDatabase(':memory:');
    raw.exec("create table t (id integer primary key, v text); insert into t (v) values ('a'), ('b'), ('c')");
  });
  afterEach(() => {
    if (raw.open) raw.close();
  });

  it('compiles a text once: the same statement comes back', () => {
    const cached = withStatementCache(raw);
    const first = cached.prepare('select v from t where id = ?');
    assert.equal(cached.prepare('select v from t where id = ?'), first);
    assert.deepEqual(first.all([2]), [{ v: 'b' }]);
    assert.equal(cached.cachedStatements, 1);
  });

  it('hands out a fresh statement while the cached one is being iterated', () => {
    const cached = withStatementCache(raw);
    const text = 'select v from t order by id';
    const iterating = cached.prepare(text);
    const rows = iterating.iterate();
    assert.deepEqual(rows.next().value, { v: 'a' });
    assert.equal(iterating.busy, true);
    const other = cached.prepare(text);
    assert.notEqual(other, iterating);
    assert.deepEqual(
      other.all().map((r) => (r as { v: string }).v),
      ['a', 'b', 'c'],
    );
    rows.return?.();
    // the fresh statement took the busy one's place
    assert.equal(cached.prepare(text), other);
  });

  it('keeps at most `capacity` texts, dropping the least recently used', () => {
    const cached = withStatementCache(raw, 2);
    const one = cached.prepare('select 1');
    const two = cached.prepare('select 2');
    assert.equal(cached.prepare('select 1'), one); // 1 is now the most recent
    cached.prepare('select 3'); // drops 2
    assert.equal(cached.cachedStatements, 2);
    assert.equal(cached.prepare('select 1'), one);
    assert.notEqual(cached.prepare('select 2'), two);
  });

  it('a cached statement sees a schema changed after it was prepared', () => {
    const cached = withStatementCache(raw);
    assert.deepEqual(cached.prepare('select * from t where id = 1').all(), [{ id: 1, v: 'a' }]);
    raw.exec("alter table t add column w text default 'x'");
    assert.deepEqual(cached.prepare('select * from t where id = 1').all(), [{ id: 1, v: 'a', w: 'x' }]);
  });

  it('is what createDb gives Kysely: a repeated query is not compiled again', async () => {
    const db = createDb({ kind: 'sqlite', file: ':memory:' });
    const proto = SqliteDatabase.prototype as unknown as { prepare: (s: string) => unknown };
    const original = proto.prepare;
    const compiled: string[] = [];
    proto.prepare = function (this: unknown, text: string) {
      compiled.push(text);
      return original.call(this, text);
    };
    try {
      for (let i = 0; i < 5; i++) {
        const { rows } = await sql<{ n: number }>`select ${i} + 1 as n`.execute(db);
        assert.equal(rows[0]?.n, i + 1);
      }
    } finally {
      proto.prepare = original;
      await db.destroy();
    }
    assert.deepEqual(compiled, ['select ? + 1 as n']);
  });
});
