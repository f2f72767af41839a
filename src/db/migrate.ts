/**
 * Applies the migrations in `migrations/index.ts`: by `yeon migrate` and at `yeon serve` start.
 * Several processes may migrate one new database at once (`yeon serve` beside `yeon worker`, or
 * instances behind a load balancer starting together); each step must still run exactly once.
 *
 * PostgreSQL: Kysely's Migrator takes an advisory lock and runs the batch in one transaction.
 * SQLite: Kysely's lock there is a no-op (its SqliteAdapter assumes one process) and it runs each
 * step outside any transaction, so a second process could re-run a step the first had applied but
 * not yet recorded: a drop-then-create step (0800) then succeeds twice and the second record
 * fails with "UNIQUE constraint failed: yeon_migrations.name". So on SQLite the whole batch runs
 * under withWriteLock (BEGIN IMMEDIATE): the other processes wait for it and then find every step
 * recorded, and a step that fails rolls the whole batch back (SQLite DDL is transactional).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, type Migration, type MigrationResultSet, Migrator, SqliteAdapter } from 'kysely';
import { migrations } from './migrations/index.ts';
import { withWriteLock } from './write-lock.ts';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Waiting longer than busy_timeout for another process's batch: try again until the deadline. */
const LOCKED = /SQLITE_BUSY|database is locked/i;
const LOCKED_RETRY_MS = 60_000;

function migrator(db: Kysely<unknown>, steps: Record<string, Migration>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => steps },
    migrationTableName: 'yeon_migrations',
    migrationLockTableName: 'yeon_migrations_lock',
  });
}

/** A failed SQLite batch, thrown so that withWriteLock rolls it back, then returned as is. */
class BatchFailed {
  constructor(readonly outcome: MigrationResultSet) {}
}

async function migrateSqliteOnce(
  db: Kysely<unknown>,
  steps: Record<string, Migration>,
): Promise<MigrationResultSet> {
  return withWriteLock(db, 'yeon.migrations', async (conn) => {
    const outcome = await migrator(conn, steps).migrateToLatest();
    if (outcome.error) throw new BatchFailed(outcome);
    return outcome;
  }).catch((thrown: unknown) => {
    if (thrown instanceof BatchFailed) return thrown.outcome;
    throw thrown;
  });
}

async function migrateOnce(
  db: Kysely<unknown>,
  steps: Record<string, Migration>,
): Promise<MigrationResultSet> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return migrateSqliteOnce(db, steps);
  return migrator(db, steps).migrateToLatest();
}

/** Runs every pending step of `steps` (all of yeon's by default; tests pass their own). */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  steps: Record<string, Migration> = migrations,
): Promise<NonNullable<MigrationResultSet['results']>> {
  const deadline = Date.now() + LOCKED_RETRY_MS;
  for (;;) {
    // BEGIN IMMEDIATE throws, rather than returns, when the lock stays taken past busy_timeout.
    const { error, results } = await migrateOnce(db as Kysely<unknown>, steps).catch(
      (thrown: unknown): MigrationResultSet => ({ error: thrown }),
    );
    if (!error) return results ?? [];
    const message = String((error as Error).message ?? error);
    if (LOCKED.test(message) && Date.now() < deadline) {
      await sleep(100 + Math.random() * 200);
      continue;
    }
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationError(`migration ${failed?.migrationName ?? '?'} failed: ${message}`, {
      cause: error,
    });
  }
}
