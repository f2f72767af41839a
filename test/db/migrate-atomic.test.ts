/**
 * A migration batch is all or nothing on both databases: a step that fails leaves no table from
 * the steps before it and no record, so a fixed release migrates cleanly from where it was.
 * (Kysely runs SQLite steps outside any transaction; src/db/migrate.ts wraps the batch.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Kysely, type Migration, sql } from 'kysely';
import { createDb } from '../../src/db/create-db.ts';
import { MigrationError, migrateToLatest } from '../../src/db/migrate.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

const createTable =
  (name: string): Migration['up'] =>
  async (db: Kysely<unknown>) => {
    await db.schema
      .createTable(name)
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .execute();
  };

const first: Migration = { up: createTable('atomic_first') };

async function tableExists(db: Kysely<unknown>, name: string): Promise<boolean> {
  return sql`select count(*) from ${sql.table(name)}`.execute(db).then(
    () => true,
    () => false,
  );
}

async function recorded(db: Kysely<unknown>): Promise<string[]> {
  if (!(await tableExists(db, 'yeon_migrations'))) return [];
  const rows = await sql<{ name: string }>`select name from yeon_migrations order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

describe('a migration batch', () => {
  it('that fails part-way leaves nothing applied or recorded, and the fixed batch then applies', async (t) => {
    const testDb = await createTestDatabase();
    t.after(() => testDb.drop());
    const db = createDb(testDb.config) as unknown as Kysely<unknown>;
    t.after(() => db.destroy());

    const failing: Migration = {
      up: async (trx) => {
        await createTable('atomic_second')(trx);
        throw new Error('step two breaks after its first statement');
      },
    };
    await assert.rejects(
      migrateToLatest(db, { '0001_first': first, '0002_second': failing }),
      (err: unknown) =>
        err instanceof MigrationError && /0002_second failed: step two breaks/.test(err.message),
    );
    assert.equal(await tableExists(db, 'atomic_first'), false, 'step one was rolled back');
    assert.equal(await tableExists(db, 'atomic_second'), false, 'step two was rolled back');
    assert.deepEqual(await recorded(db), []);

    const results = await migrateToLatest(db, {
      '0001_first': first,
      '0002_second': { up: createTable('atomic_second') },
    });
    assert.deepEqual(
      results.map((r) => [r.migrationName, r.status]),
      [
        ['0001_first', 'Success'],
        ['0002_second', 'Success'],
      ],
    );
    assert.deepEqual(await recorded(db), ['0001_first', '0002_second']);
    assert.equal(await tableExists(db, 'atomic_second'), true);
  });
});
