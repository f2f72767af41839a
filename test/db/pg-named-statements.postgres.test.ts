/**
 * PostgreSQL keeps the plan of a named statement for its connection (src/db/pg-named-statements.ts):
 * Kysely's parameterised queries are named, at most NAMED_STATEMENTS_PER_CONNECTION per
 * connection, not at all with YEON_DB_PREPARED_STATEMENTS=false, and a plan made stale by another
 * instance's migration costs one failed query inside a transaction and none outside one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { createDb } from '../../src/db/create-db.ts';
import { NAMED_STATEMENTS_PER_CONNECTION } from '../../src/db/pg-named-statements.ts';
import { createTestDatabase, TEST_DB } from '../helpers/test-db.ts';

if (TEST_DB !== 'postgres')
  throw new Error(
    'pg-named-statements.postgres.test.ts needs TEST_DB=postgres (npm test -- --lane postgres)',
  );

/** The statements this session has prepared through the protocol (not SQL PREPARE). */
async function prepared(conn: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`
    select statement from pg_prepared_statements where not from_sql order by statement`.execute(conn);
  return rows.map((r) => r.statement);
}

/** A database of its own; a pool of one connection where a test needs every query on the same one. */
async function setup(t: { after(fn: () => unknown): void }, preparedStatements?: boolean, poolSize?: number) {
  const testDb = await createTestDatabase();
  t.after(() => testDb.drop());
  const config = { ...testDb.config, preparedStatements, ...(poolSize ? { poolSize } : {}) };
  const db = createDb(config as typeof testDb.config) as Kysely<unknown>;
  t.after(() => db.destroy());
  return db;
}

describe('named statements on PostgreSQL', () => {
  it('names a parameterised query once per connection and reuses it', async (t) => {
    const db = await setup(t);
    await db.connection().execute(async (conn) => {
      for (let i = 0; i < 3; i++) {
        const { rows } = await sql<{ n: number }>`select ${i}::int + 1 as n`.execute(conn);
        assert.equal(rows[0]!.n, i + 1);
      }
      assert.deepEqual(await prepared(conn), ['select $1::int + 1 as n']);
    });
  });

  it('names nothing with YEON_DB_PREPARED_STATEMENTS=false', async (t) => {
    const db = await setup(t, false);
    await db.connection().execute(async (conn) => {
      await sql`select ${1}::int + 1 as n`.execute(conn);
      assert.deepEqual(await prepared(conn), []);
    });
  });

  it(`keeps at most ${NAMED_STATEMENTS_PER_CONNECTION} names per connection; further texts still run`, async (t) => {
    const db = await setup(t);
    await db.connection().execute(async (conn) => {
      const texts = NAMED_STATEMENTS_PER_CONNECTION + 20;
      for (let i = 0; i < texts; i++) {
        const { rows } = await sql<{ n: number }>`select ${i}::int + ${sql.lit(i)} as n`.execute(conn);
        assert.equal(rows[0]!.n, 2 * i);
      }
      const { rows } = await sql<{ n: number }>`select ${1}::int + 0 as n`.execute(conn);
      assert.equal(rows[0]!.n, 1, 'a named text still runs named once the connection is full');
      assert.equal((await prepared(conn)).length, NAMED_STATEMENTS_PER_CONNECTION);
    });
  });

  it('survives a column added by another instance: the query runs again unnamed', async (t) => {
    const db = await setup(t, true, 1);
    await sql`create table widgets (id int primary key, name text)`.execute(db);
    await sql`insert into widgets values (1, 'one')`.execute(db);
    const read = () => sql<Record<string, unknown>>`select * from widgets where id = ${1}`.execute(db);
    assert.deepEqual((await read()).rows, [{ id: 1, name: 'one' }]);
    // A rolling upgrade's migration: the kept plan's result columns change.
    await sql`alter table widgets add column colour text`.execute(db);
    assert.deepEqual((await read()).rows, [{ id: 1, name: 'one', colour: null }]);
    await sql`alter table widgets add column size int`.execute(db);
    assert.deepEqual((await read()).rows, [{ id: 1, name: 'one', colour: null, size: null }]);
  });

  it('inside a transaction, a stale plan fails that transaction whole, once', async (t) => {
    const db = await setup(t, true, 1);
    await sql`create table widgets (id int primary key, name text)`.execute(db);
    await sql`insert into widgets values (1, 'one')`.execute(db);
    const read = (c: Kysely<unknown>) => sql`select * from widgets where id = ${1}`.execute(c);
    await read(db);
    await sql`alter table widgets add column colour text`.execute(db);
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await sql`insert into widgets (id, name) values (${2}, ${'two'})`.execute(trx);
        await read(trx);
      }),
      /cached plan must not change result type/,
    );
    const { rows } = await sql<{ id: number }>`select id from widgets order by id`.execute(db);
    assert.deepEqual(rows, [{ id: 1 }], 'the insert before the failure rolled back');
    await db.transaction().execute(async (trx) => {
      await sql`insert into widgets (id, name) values (${2}, ${'two'})`.execute(trx);
      assert.equal((await read(trx)).rows.length, 1);
    });
  });
});
