/**
 * withWriteLock(db, name, fn): runs `fn` in one transaction that no other process runs alongside
 * it under the same name, for the few steps that read "is there one yet?" and then create it,
 * where two processes starting together must not both create (migrations, the first signing key).
 *
 * - PostgreSQL: a transaction holding pg_advisory_xact_lock on the name, released by its end.
 * - SQLite: BEGIN IMMEDIATE, which takes the file's single write lock before anything is read.
 *   The other processes wait for the lock (busy_timeout in create-db.ts), then see what was
 *   written. SQLite has one lock per file, so the name is not needed there. The transaction is
 *   opened by hand on a reserved connection rather than with db.transaction() (IMMEDIATE too, see
 *   create-db.ts), because Kysely's Migrator needs a connection: it refuses a Transaction.
 *
 * Either way a throw from `fn` rolls everything back. Ordinary transactions elsewhere need none of
 * this: they either write by key or are serialised by their own row locks and constraints.
 */
import { type Kysely, SqliteAdapter, sql } from 'kysely';

export async function withWriteLock<DB, T>(
  db: Kysely<DB>,
  name: string,
  fn: (trx: Kysely<DB>) => Promise<T>,
): Promise<T> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    return db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      let value: T;
      try {
        value = await fn(conn);
      } catch (error) {
        await sql`rollback`.execute(conn);
        throw error;
      }
      await sql`commit`.execute(conn);
      return value;
    });
  }
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
    return fn(trx);
  });
}
