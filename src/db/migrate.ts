/**
 * Applies the migrations in `migrations/index.ts`: by `yeon migrate` and at `yeon serve` start.
 * On PostgreSQL, Kysely's Migrator takes a lock table, so several instances starting together
 * migrate once. On SQLite that lock is a no-op (kysely's SqliteAdapter) and DDL is not
 * transactional there, so two processes opening one new file at once (`yeon serve` beside a
 * `yeon worker`) can both try the same step; the loser sees "already exists" or a busy database
 * and simply tries again once the winner has recorded the step.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from './migrations/index.ts';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const RACE = /already exists|SQLITE_BUSY|database is locked|duplicate column/i;
const RACE_RETRY_MS = 15_000;

async function migrateOnce<DB>(db: Kysely<DB>) {
  const migrator = new Migrator({
    db: db as Kysely<unknown>,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'yeon_migrations',
    migrationLockTableName: 'yeon_migrations_lock',
  });
  return migrator.migrateToLatest();
}

export async function migrateToLatest<DB>(
  db: Kysely<DB>,
): Promise<NonNullable<MigrationResultSet['results']>> {
  const deadline = Date.now() + RACE_RETRY_MS;
  for (;;) {
    const { error, results } = await migrateOnce(db);
    if (!error) return results ?? [];
    const message = String((error as Error).message ?? error);
    if (RACE.test(message) && Date.now() < deadline) {
      await sleep(100 + Math.random() * 200);
      continue;
    }
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationError(`migration ${failed?.migrationName ?? '?'} failed: ${message}`, {
      cause: error,
    });
  }
}
