/**
 * A PostgreSQL connection lost mid-query (failover, restart, pg_terminate_backend) fails that
 * query and nothing else: the process keeps running and the next query gets a fresh connection.
 * Before create-db.ts listened on checked-out clients, pg's 'error' event on such a client was
 * unhandled and took the whole process down (seen in CI: a dispatcher recording a delivery while
 * its database was dropped).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { createDb } from '../../src/db/create-db.ts';
import { createTestDatabase, TEST_DB } from '../helpers/test-db.ts';

// Only the postgres lane lists this file (scripts/run-tests.mjs); run by hand on SQLite it says so.
if (TEST_DB !== 'postgres')
  throw new Error('connection-loss.postgres.test.ts needs TEST_DB=postgres (npm test -- --lane postgres)');

describe('PostgreSQL connection lost mid-query', () => {
  it('rejects the query in flight, keeps the process up, and serves the next query', async (t) => {
    const testDb = await createTestDatabase();
    t.after(() => testDb.drop());
    const lost: Error[] = [];
    const db = createDb(testDb.config, (err) => lost.push(err));
    t.after(() => db.destroy());

    await assert.rejects(
      db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        const sleeping = sql`select pg_sleep(30)`.execute(trx);
        // Awaited below; its rejection may arrive while the terminate is still being awaited.
        sleeping.catch(() => {});
        // Another pooled connection ends this one, as a failover would.
        await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(db);
        await sleeping;
      }),
      // The query's error (PostgreSQL's 57P01 "terminating connection due to administrator
      // command", or pg's "Connection terminated unexpectedly"), or the rollback's, which Kysely
      // throws instead when the rollback fails too: pg's "… is not queryable" once the socket closed
      /terminat|not queryable/i,
    );
    // pg reports the closed socket just after the query's error: wait for it (bounded).
    for (let i = 0; i < 100 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(lost.length >= 1, 'the loss is reported to the callback');
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
    assert.equal(rows[0]!.one, 1);
  });
});
